// The official Socket.IO Admin UI (@socket.io/admin-ui 0.5.1, its built ui/dist served locally)
// in headless Chromium against a standalone Switchboard started with --admin: a wrong password
// shows the login error; the right one shows our server and its clients, the sockets view lists
// two known clients and the rooms view their rooms, and the UI's disconnect button disconnects one.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { launchBrowser } from "../browser/support.mjs";
import { serveUi, offlinePage, logIn, client, disconnected, distinctColours } from "./support.mjs";

const URL = process.env.SWITCHBOARD_URL;
const UI_PORT = Number(process.env.ADMIN_UI_PORT);
const PASSWORD = process.env.ADMIN_PASSWORD;
const SCREENSHOTS = process.env.SCREENSHOT_DIR;
const UI = `http://127.0.0.1:${UI_PORT}`;

describe("official Admin UI in Chromium", { timeout: 120000 }, () => {
  let browser;
  let ui;
  let alice;
  let bob;

  before(async () => {
    ui = await serveUi(UI_PORT);
    browser = await launchBrowser();
    alice = await client(URL);
    bob = await client(URL);
    assert.equal((await alice.timeout(5000).emitWithAck("room:join", { room: "room-alice" })).ok, true);
    assert.equal((await bob.timeout(5000).emitWithAck("room:join", { room: "room-bob" })).ok, true);
  });

  after(async () => {
    alice?.disconnect();
    bob?.disconnect();
    await browser?.close();
    ui?.close();
  });

  it("shows the login error for a wrong password", async () => {
    const page = await offlinePage(browser, [UI, URL]);
    await page.goto(UI + "/");
    await logIn(page, URL, "admin", PASSWORD + "-wrong");
    await page.getByText("Invalid credentials").waitFor();
    await page.close();
  });

  it("lists our server, its clients, sockets and rooms, and disconnects a socket", async () => {
    const page = await offlinePage(browser, [UI, URL]);
    await page.goto(UI + "/");
    await logIn(page, URL, "admin", PASSWORD);
    await page.getByLabel("Server URL").waitFor({ state: "hidden" });

    // Dashboard: one healthy server; the clients card counts our two clients (the UI's own connection is not reported).
    await page.waitForFunction(() => document.body.innerText.includes("WebSocket") || document.body.innerText.includes("websocket"));
    await page.goto(UI + "/#/servers/");
    const serverRow = page.locator("tbody tr").filter({ hasText: String(process.env.ADMIN_HOSTNAME || "") }).first();
    await serverRow.waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll("tbody tr td")].some((td) => td.innerText.trim() === "2"));

    await page.goto(UI + "/#/sockets/");
    await page.locator("tbody tr").filter({ hasText: alice.id }).waitFor();
    await page.locator("tbody tr").filter({ hasText: bob.id }).waitFor();

    await page.goto(UI + "/#/rooms/");
    await page.getByText("room-alice").first().waitFor();
    await page.getByText("room-bob").first().waitFor();

    await page.goto(UI + "/#/");
    await page.getByText("Namespaces").first().waitFor();
    // The UI fades each view in: shoot once its transitions have ended.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState === "finished"));
    if (SCREENSHOTS) {
      mkdirSync(SCREENSHOTS, { recursive: true });
    }
    const shot = await page.screenshot({ fullPage: true });
    if (SCREENSHOTS) {
      writeFileSync(path.join(SCREENSHOTS, "admin-ui-dashboard.png"), shot);
    }
    assert.ok(await distinctColours(browser, shot) > 8, "the dashboard screenshot is blank");

    await page.goto(UI + "/#/sockets/");
    const row = page.locator("tbody tr").filter({ hasText: alice.id });
    const gone = disconnected(alice);
    await row.locator("button").last().click();
    assert.equal(await gone, "io server disconnect");
    assert.equal(bob.connected, true);
    // The UI learns of the disconnection from the server (socket_disconnected) and drops the row.
    await page.goto(UI + "/#/sockets/");
    await page.locator("tbody tr").filter({ hasText: bob.id }).waitFor();
    await page.waitForFunction((id) => ![...document.querySelectorAll("tbody tr")].some((tr) => tr.innerText.includes(id)), alice.id);
    await page.close();
  });
});
