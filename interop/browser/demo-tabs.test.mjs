// The demo app's Doc, LLM and Notifications tabs, each driven from two Chromium pages: a shared
// text that late joiners load (from history, or from another tab) and two edit at once; a model answer streamed to the asking tab
// and to another following the conversation, whose stream is cut mid-answer and resumes; a
// notification sent from one tab reaching both over SSE. Each tab is checked and photographed.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, relay, screenshot } from "./support.mjs";
import { SCREENSHOTS, openDemo, showTab } from "./demo-page.mjs";

describe("demo app Doc, LLM and Notifications tabs in Chromium", { timeout: 90000 }, () => {
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

  const shows = (page, selector, t) =>
    page.waitForFunction(([s, t]) => document.querySelector(s).textContent.includes(t), [selector, t]);

  it("Doc: a late joiner gets the text from history or from the others, and edits of both tabs merge", async () => {
    // Ada writes and leaves: Bob, alone, reads the young document from the room's history.
    const ada = await openDemo(browser, "ada");
    await showTab(ada, "doc");
    await ada.waitForFunction(() => document.querySelector("#doc-sync").textContent === "only you here");
    await ada.locator("#doc-text").pressSequentially("Shopping list\n- milk\n");
    await ada.waitForFunction(() => document.querySelector("#pending").textContent === "0");
    await ada.context().close();
    const bob = await openDemo(browser, "bob");
    await showTab(bob, "doc");
    await bob.waitForFunction(() => document.querySelector("#doc-text").value === "Shopping list\n- milk\n");
    assert.equal(await bob.textContent("#doc-sync"), "loaded from history");

    // Bob writes more than the history keeps (100 messages): Cy, coming later, cannot rebuild the
    // text from it and gets it from Bob's tab, which answers his state request.
    const more = "- bread, butter, cheese, apples, pears, plums, rice, beans, lentils, oats, honey, tea, coffee, salt\n";
    await bob.locator("#doc-text").press("Control+End");
    await bob.locator("#doc-text").pressSequentially(more);
    await bob.waitForFunction(() => document.querySelector("#pending").textContent === "0");
    const cy = await openDemo(browser, "cy");
    await showTab(cy, "doc");
    const full = "Shopping list\n- milk\n" + more;
    await cy.waitForFunction((t) => document.querySelector("#doc-text").value === t, full);
    assert.equal(await cy.textContent("#doc-sync"), "synced");

    // Both type at once, at different places: the texts converge, with both edits.
    await bob.locator("#doc-text").press("Control+End");
    await cy.locator("#doc-text").focus();
    await cy.evaluate(() => document.querySelector("#doc-text").setSelectionRange(0, 0));
    await Promise.all([
      bob.locator("#doc-text").pressSequentially("- eggs\n"),
      cy.locator("#doc-text").pressSequentially("TODO: "),
    ]);
    const merged = "TODO: " + full + "- eggs\n";
    await bob.waitForFunction((t) => document.querySelector("#doc-text").value === t, merged);
    await cy.waitForFunction((t) => document.querySelector("#doc-text").value === t, merged);
    await shows(bob, "#doc-members", "cy");
    await screenshot(cy, SCREENSHOTS, "demo-doc.png", ["doc:demo", "synced", "bob"]);
    await bob.context().close();
    await cy.context().close();
  });

  it("LLM: an answer streams to a second tab on the conversation, which resumes after a cut", async () => {
    const ada = await openDemo(browser, "ada");
    const bob = await openDemo(browser, "bob", path.url);
    for (const page of [ada, bob]) {
      await showTab(page, "llm");
      await page.waitForFunction(() => document.querySelector("#llm-stream").textContent === "open");
      assert.match(await page.textContent("#llm-notice"), /No LLM upstream is configured/);
    }
    const conversation = await ada.inputValue("#conversation");
    await bob.fill("#conversation", conversation);
    await bob.dispatchEvent("#conversation", "change");
    await bob.waitForFunction(() => document.querySelector("#llm-stream").textContent === "open");

    // The echo model writes one word every 60 ms: Bob's stream is cut while it writes.
    const question = Array.from({ length: 40 }, (_, i) => "word" + i).join(" ");
    await ada.fill("#prompt", question);
    await ada.press("#prompt", "Enter");
    await shows(bob, "#llm-log", "ada:" + question);
    await bob.waitForFunction(() => document.querySelector("#llm-log .answer")?.textContent.includes("word3"));
    path.cut();
    await bob.waitForFunction(() => document.querySelector("#llm-stream").textContent === "reconnecting");
    const answered = (q) => document.querySelector("#llm-log .answer")?.textContent === "model:" + q;
    await ada.waitForFunction(answered, question);
    await bob.waitForFunction(answered, question, { timeout: 15000 });
    await bob.waitForFunction(() => document.querySelector("#llm-stream").textContent === "open");

    // The conversation goes on from either tab: Bob asks the next question.
    await bob.fill("#prompt", "and a second one");
    await bob.press("#prompt", "Enter");
    await ada.waitForFunction(() => [...document.querySelectorAll("#llm-log .answer")].at(-1)?.textContent === "model:and a second one");
    await screenshot(ada, SCREENSHOTS, "demo-llm.png", ["No LLM upstream is configured", "bob:and a second one", "model:and a second one"]);
    await ada.context().close();
    await bob.context().close();
  });

  it("Notifications: one sent from a tab reaches every tab's EventSource", async () => {
    const ada = await openDemo(browser, "ada");
    const bob = await openDemo(browser, "bob");
    for (const page of [ada, bob]) {
      await showTab(page, "notifications");
      await page.waitForFunction(() => document.querySelector("#sse-state").textContent === "open");
    }
    await bob.fill("#notify-title", "Deploy finished");
    await bob.click("#notify");
    for (const page of [ada, bob]) await shows(page, "#notes", "Deploy finished from bob");
    assert.equal(await ada.locator("#notes li").count(), 1);
    await screenshot(ada, SCREENSHOTS, "demo-notifications.png", ["Deploy finished from bob", "/api/v1/server/publish"]);
    await ada.context().close();
    await bob.context().close();
  });
});
