// The demo app's Chat tab and connection panel: two tabs chat in rooms, see each other in the
// presence list and typing; one tab loses its network, sends meanwhile (its message waits in the
// offline queue, counted by the Pending badge), and once back its session is recovered and the
// message delivered exactly once.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, relay, screenshot } from "./support.mjs";
import { SCREENSHOTS, openDemo } from "./demo-page.mjs";

describe("demo app Chat tab in Chromium", { timeout: 90000 }, () => {
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

  async function say(page, text) {
    await page.fill("#text", text);
    await page.press("#text", "Enter");
    await page.waitForFunction(() => document.querySelector("#text").value === "");
  }

  const text = (page, selector) => page.evaluate((s) => document.querySelector(s).textContent, selector);
  const shows = (page, selector, t) =>
    page.waitForFunction(([s, t]) => document.querySelector(s).textContent.includes(t), [selector, t]);
  const count = (page, t) => page.evaluate((t) => [...document.querySelectorAll("#log .msg")].filter((m) => m.textContent === t).length, t);

  it("two tabs chat, see presence and typing, and a message sent offline arrives once", async () => {
    const ada = await openDemo(browser, "ada");
    const bob = await openDemo(browser, "bob", path.url);
    await ada.waitForFunction(() => document.querySelector("#transport").textContent === "websocket");
    assert.equal(await text(ada, "#recovered"), "new session");

    // Presence: each sees both.
    await shows(ada, "#members", "bob");
    await shows(bob, "#members", "ada");
    assert.match(await text(ada, "#members"), /ada \(you\)/);

    // Typing, then the message.
    await ada.locator("#text").pressSequentially("hel");
    await shows(bob, "#typing", "ada is typing…");
    await say(ada, "hello from tab one");
    await shows(bob, "#log", "ada:hello from tab one");
    await bob.waitForFunction(() => document.querySelector("#typing").textContent === "");
    await ada.waitForFunction(() => document.querySelectorAll(".msg.me.pending").length === 0);
    await say(bob, "hi back from tab two");
    await shows(ada, "#log", "bob:hi back from tab two");
    await screenshot(ada, SCREENSHOTS, "demo-chat.png", ["ada:hello from tab one", "bob:hi back from tab two", "ada (you)"]);

    // Another room: bob joins it, sees what ada said there before (history), and they talk in it.
    await ada.fill("#room", "random");
    await ada.press("#room", "Enter");
    await shows(ada, "#log", "joined random");
    await say(ada, "anyone in random?");
    await ada.waitForFunction(() => document.querySelectorAll(".msg.me.pending").length === 0);
    await bob.fill("#room", "random");
    await bob.press("#room", "Enter");
    await shows(bob, "#log", "joined random");
    assert.match(await text(bob, '.room-log[data-room="random"]'), /ada:anyone in random\?/);
    assert.doesNotMatch(await text(bob, '.room-log[data-room="random"]'), /hello from tab one/);
    await shows(ada, "#members", "bob");
    await bob.click('#rooms button:text("lobby")');
    await say(bob, "back in the lobby");
    await shows(ada, '.room-log[data-room="lobby"]', "bob:back in the lobby");

    // Bob's network goes: he is told, and what he sends waits, counted by the Pending badge.
    path.offline();
    await bob.waitForFunction(() => document.querySelector("#state").textContent === "disconnected");
    await say(bob, "sent while offline");
    await bob.waitForFunction(() => document.querySelector("#pending").textContent === "1");
    assert.equal(await bob.locator(".msg.me.pending").count(), 1);
    await bob.waitForFunction(() => Number(document.querySelector("#reconnects").textContent) >= 1);
    await screenshot(bob, SCREENSHOTS, "demo-chat-offline.png", ["disconnected", "sent while offline", "(waiting for the network)"]);

    // Back online: the session is recovered (rooms kept), the queue empties, ada gets it once.
    path.online();
    await bob.waitForFunction(() => document.querySelector("#state").textContent === "connected", null, { timeout: 15000 });
    await bob.waitForFunction(() => document.querySelector("#pending").textContent === "0");
    await shows(ada, '.room-log[data-room="lobby"]', "bob:sent while offline");
    assert.equal(await text(bob, "#recovered"), "yes");
    await shows(bob, "#log", "reconnected: session recovered");
    assert.equal(await bob.locator(".msg.me.pending").count(), 0);
    await say(bob, "back again");
    await shows(ada, "#log", "bob:back again");
    assert.equal(await count(ada, "bob:sent while offline"), 1);

    // The Go offline button does the same without a cable: a new session afterwards, same delivery.
    await ada.click("#toggle-connection");
    await ada.waitForFunction(() => document.querySelector("#toggle-connection").textContent === "Go online");
    assert.equal(await text(ada, "#state"), "disconnected");
    await say(ada, "queued by hand");
    await ada.waitForFunction(() => document.querySelector("#pending").textContent === "1");
    await ada.click("#toggle-connection");
    await ada.waitForFunction(() => document.querySelector("#pending").textContent === "0");
    await shows(bob, '.room-log[data-room="random"]', "ada:queued by hand");
    assert.equal(await text(ada, "#recovered"), "no");
    await ada.context().close();
    await bob.context().close();
  });
});
