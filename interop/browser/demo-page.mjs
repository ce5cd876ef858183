// Opening the demo app as a named user, shared by the demo-*.test.mjs scripts.
import { URL, newPage } from "./support.mjs";

/** Where the scripts save their screenshots (SCREENSHOT_DIR), if anywhere. */
export const SCREENSHOTS = process.env.SCREENSHOT_DIR;

/** A new page of the demo app at `origin` as `name`, connected, with the lobby joined. */
export async function openDemo(browser, name, origin = URL) {
  const page = await newPage(browser);
  // The name is set before the app first connects (it would join the lobby under another name).
  await page.goto(origin + "/healthz");
  await page.evaluate((n) => sessionStorage.setItem("switchboard-demo-name", n), name);
  await page.goto(origin + "/");
  await page.waitForFunction(() => document.querySelector("#state").textContent === "connected");
  await page.waitForFunction(() => document.querySelector("#log").textContent.includes("joined lobby"));
  return page;
}

/** Clicks the tab named `name` (chat, doc, llm, notifications, call). */
export const showTab = (page, name) => page.click("#tab-" + name);
