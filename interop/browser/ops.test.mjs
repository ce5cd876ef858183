// The ops page at /admin/ in Chromium: it renders, shows this node (and, with SWITCHBOARD_OTHER_URL,
// the other node of the cluster), and its connection and delivery charts move under traffic made
// by official socket.io-clients. A screenshot goes to OPS_SCREENSHOT.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { URL, WAIT_MS, launchBrowser, publisher, call } from "./support.mjs";

const OTHER_URL = process.env.SWITCHBOARD_OTHER_URL;
const USER = process.env.ADMIN_USER;
const PASSWORD = process.env.ADMIN_PASSWORD;
const SCREENSHOT = process.env.OPS_SCREENSHOT;
const ROOM = "ops-room";

describe("ops page in Chromium", { timeout: 120000 }, () => {
  let browser;
  const sockets = [];
  let publishing;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    clearInterval(publishing);
    sockets.forEach((socket) => socket.disconnect());
    await browser?.close();
  });

  async function openPage() {
    const context = await browser.newContext({ httpCredentials: { username: USER, password: PASSWORD }, viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on("pageerror", (error) => console.error("page error:", error.message));
    await page.goto(URL + "/admin/");
    await page.waitForFunction(() => window.ops && window.ops.snapshots >= 1);
    return page;
  }

  const read = (page) => page.evaluate(() => ({
    snapshots: window.ops.snapshots,
    nodes: [...document.querySelectorAll("#nodes tbody tr")].map((tr) => tr.dataset.node),
    connections: Number(document.querySelector("#connections-chart").dataset.latest),
    deliveries: Number(document.querySelector("#deliveries-chart").dataset.latest),
    connectionsPixels: document.querySelector("#connections-chart").toDataURL(),
    deliveriesPixels: document.querySelector("#deliveries-chart").toDataURL(),
    rooms: [...document.querySelectorAll("#rooms tbody tr")].map((tr) => [...tr.children].map((td) => td.textContent)),
    status: document.querySelector("#status").textContent,
  }));

  /** Waits for the next snapshot after the one `page` has shown now. */
  async function nextSnapshot(page) {
    const seen = await page.evaluate(() => window.ops.snapshots);
    await page.waitForFunction((n) => window.ops.snapshots > n, seen);
    return read(page);
  }

  it("shows the nodes and moves its charts under traffic", async () => {
    const page = await openPage();
    const first = await read(page);
    assert.equal(first.status, "live");
    const expectedNodes = OTHER_URL ? 2 : 1;
    await page.waitForFunction((n) => document.querySelectorAll("#nodes tbody tr").length === n, expectedNodes);
    const serving = await page.evaluate(() => window.ops.last.node);
    const shown = (await read(page)).nodes;
    assert.ok(shown.includes(serving), `the page lists the node serving it (${serving}): ${shown}`);
    console.log(`OPS_NODES ${JSON.stringify(shown)}`);

    // Traffic: three members of one room (one on the other node, if any) and a fourth member publishing ten messages a second.
    for (const url of [URL, URL, OTHER_URL ?? URL]) {
      const socket = await publisher(url);
      await call(socket, "room:join", { room: ROOM });
      sockets.push(socket);
    }
    const source = await publisher(URL);
    await call(source, "room:join", { room: ROOM });
    sockets.push(source);
    let n = 0;
    const refusals = [];
    publishing = setInterval(() => {
      source.emit("room:publish", { room: ROOM, event: "tick", data: { n: n++ } }, (answer) => {
        if (!answer.ok) refusals.push(answer.error);
      });
    }, 100);

    await page.waitForFunction((before) => Number(document.querySelector("#connections-chart").dataset.latest) >= before + 4,
      first.connections, { timeout: 3 * WAIT_MS });
    await page.waitForFunction(() => Number(document.querySelector("#deliveries-chart").dataset.latest) > 0, null, { timeout: 3 * WAIT_MS });
    const one = await nextSnapshot(page);
    const two = await nextSnapshot(page);
    console.log(`OPS_READINGS connections ${first.connections} -> ${one.connections} -> ${two.connections},`
      + ` deliveries/s ${first.deliveries} -> ${one.deliveries} -> ${two.deliveries}`);
    assert.ok(one.connections >= first.connections + 4, "connections rose with the clients");
    assert.deepEqual(refusals, [], "every publish was accepted");
    assert.ok(one.deliveries > 0 && two.deliveries > 0, "deliveries per second show the traffic");
    assert.notEqual(first.connectionsPixels, two.connectionsPixels, "the connections chart was redrawn with new values");
    assert.notEqual(one.deliveriesPixels, two.deliveriesPixels, "the deliveries chart moves from one snapshot to the next");
    const room = two.rooms.find((row) => row[0] === ROOM);
    assert.ok(room, `the room is listed: ${JSON.stringify(two.rooms)}`);
    assert.equal(room[1], "4", "its members on every node");
    assert.match(room[4], /:\d+$/, "its history head is a position");

    if (SCREENSHOT) {
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    }
  });
});
