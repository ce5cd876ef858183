// The demo app's LLM tab on a server whose model API is configured (a local fake of OpenAI's
// chat completions): the page names the model, both tabs on the conversation see its answer, and
// when the API refuses the next question both show the error's code instead of an empty answer.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, screenshot } from "./support.mjs";
import { SCREENSHOTS, openDemo, showTab } from "./demo-page.mjs";

describe("demo app LLM tab with a model API", { timeout: 60000 }, () => {
  let browser;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  const shows = (page, t) => page.waitForFunction((t) => document.querySelector("#llm-log").textContent.includes(t), t);

  it("streams the model's answer to both tabs and shows its refusal", async () => {
    const ada = await openDemo(browser, "ada");
    const bob = await openDemo(browser, "bob");
    for (const page of [ada, bob]) {
      await showTab(page, "llm");
      await page.waitForFunction(() => document.querySelector("#llm-stream").textContent === "open");
      assert.equal(await page.textContent("#llm-notice"), "Answers come from openai (gpt-4o-mini).");
    }
    await bob.fill("#conversation", await ada.inputValue("#conversation"));
    await bob.dispatchEvent("#conversation", "change");
    await bob.waitForFunction(() => document.querySelector("#llm-stream").textContent === "open");

    await ada.fill("#prompt", "Say hello");
    await ada.press("#prompt", "Enter");
    for (const page of [ada, bob]) await shows(page, "model:Hello from the model");

    await bob.fill("#prompt", "And again?");
    await bob.press("#prompt", "Enter");
    for (const page of [ada, bob]) await shows(page, "UPSTREAM_ERROR");
    await screenshot(ada, SCREENSHOTS, "demo-llm-upstream.png", ["openai (gpt-4o-mini)", "model:Hello from the model", "bob:And again?", "UPSTREAM_ERROR"]);
    await ada.context().close();
    await bob.context().close();
  });
});
