// The demo chat page at /: two tabs chat with each other and show their connection state and
// transport; one tab, whose connection is cut, shows it is disconnected, reconnects and chats on.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { URL, launchBrowser, newPage, relay } from "./support.mjs";

describe("demo chat page in Chromium", { timeout: 90000 }, () => {
  let browser;
  let path;

  before(async () => {
    browser = await launchBrowser();
    path = await relay();
  });

  after(async () => {
    await path?.close();
    await browser?.close();
  });

  async function openTab(origin, name) {
    const page = await newPage(browser);
    await page.goto(origin + "/");
    await page.fill("#name", name);
    await page.waitForFunction(() => document.querySelector("#state").textContent === "connected");
    await page.waitForFunction(() => document.querySelector("#log").textContent.includes("joined lobby"));
    await page.waitForFunction(() => document.querySelector("#transport").textContent === "websocket");
    return page;
  }

  async function say(page, text) {
    await page.fill("#text", text);
    await page.press("#text", "Enter");
    await page.waitForFunction(() => document.querySelector("#text").value === "");
  }

  const logHas = (page, text) =>
    page.waitForFunction((t) => document.querySelector("#log").textContent.includes(t), text);

  it("two tabs chat with each other", async () => {
    const one = await openTab(URL, "ada");
    const two = await openTab(path.url, "bob");
    assert.equal(await one.textContent("#state"), "connected");
    assert.equal(await two.textContent("#transport"), "websocket");

    await say(one, "hello from tab one");
    await logHas(two, "hello from tab one");
    assert.match(await two.textContent("#log"), /ada:hello from tab one/);
    assert.equal(await one.locator(".msg.me").count(), 1);

    await say(two, "hi back from tab two");
    await logHas(one, "hi back from tab two");

    // Tab two's connection is cut: it says so, reconnects by itself and chats on.
    path.cut();
    await two.waitForFunction(() => document.querySelector("#state").textContent === "disconnected");
    await two.waitForFunction(() => document.querySelector("#reconnects").textContent === "1");
    await two.waitForFunction(() => document.querySelector("#state").textContent === "connected");
    await two.waitForFunction(() => document.querySelectorAll("#log .system").length >= 3);
    await logHas(two, "disconnected: transport");
    await two.waitForFunction(() => [...document.querySelectorAll("#log .system")].filter((e) => e.textContent === "joined lobby").length === 2);
    await say(two, "back again");
    await logHas(one, "back again");
    await one.context().close();
    await two.context().close();
  });
});
