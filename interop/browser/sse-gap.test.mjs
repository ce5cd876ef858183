// Against a server keeping 3 messages per room: an EventSource that was away while 6 were
// published is told with a stream:gap event, then gets the 3 still kept.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, eventSourcePage, publisher, call, relay } from "./support.mjs";

describe("EventSource gap notice in Chromium", { timeout: 60000 }, () => {
  let browser;
  let socket;
  let path;

  before(async () => {
    browser = await launchBrowser();
    socket = await publisher();
    path = await relay();
  });

  after(async () => {
    socket?.disconnect();
    await path?.close();
    await browser?.close();
  });

  it("a reconnect after more was published than is kept yields stream:gap, then what is kept", async () => {
    const publish = (n) => call(socket, "room:publish", { room: "g", event: "item", data: { n } });
    const page = await eventSourcePage(browser, path.url, ["item", "stream:gap"]);
    await call(socket, "room:join", { room: "g" });
    await page.evaluate(() => window.follow("/sse?rooms=g"));
    await page.waitForFunction(() => window.opens === 1);
    await publish(1);
    await page.waitForFunction(() => window.log.length === 1);

    path.cut();
    await page.waitForFunction(() => window.errors === 1);
    for (let n = 2; n <= 7; n++) {
      await publish(n);
    }
    await page.waitForFunction(() => window.opens === 2 && window.log.length === 5);
    const log = await page.evaluate(() => window.log);
    assert.equal(log[1].type, "stream:gap");
    const epoch = log[0].id.slice("g@".length, log[0].id.lastIndexOf(":"));
    assert.equal(log[1].data.room, "g");
    assert.equal(log[1].data.from, `${epoch}:1`);
    assert.equal(log[1].data.head, `${epoch}:7`);
    assert.deepEqual(log.filter((e) => e.type === "item").map((e) => e.data.n), [1, 5, 6, 7]);

    await publish(8);
    await page.waitForFunction(() => window.log.length === 6);
    assert.equal(await page.evaluate(() => window.log[5].data.n), 8);
    await page.context().close();
  });
});
