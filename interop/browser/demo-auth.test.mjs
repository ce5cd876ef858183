// The demo app on a server with authentication on: it asks for a token instead of only failing,
// refuses a bad one with its code, and chats once logged in with a valid JWT.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { URL, launchBrowser, newPage } from "./support.mjs";

const SECRET = process.env.JWT_SECRET;

/** An HS256 JWT for `sub`, valid for ten minutes. */
function token(sub) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = part({ alg: "HS256", typ: "JWT" }) + "." + part({ sub, exp: Math.floor(Date.now() / 1000) + 600 });
  return body + "." + createHmac("sha256", SECRET).update(body).digest("base64url");
}

describe("demo app with authentication on", { timeout: 60000 }, () => {
  let browser;

  before(async () => {
    assert.ok(SECRET, "set JWT_SECRET to the server's --jwt-secret");
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
  });

  const logHas = (page, text) =>
    page.waitForFunction((t) => document.querySelector("#log").textContent.includes(t), text);

  async function logIn(page, jwt) {
    await page.fill("#token", jwt);
    await page.press("#token", "Enter");
  }

  async function openTab() {
    const page = await newPage(browser);
    await page.goto(URL + "/");
    await logHas(page, "authentication required: paste a token");
    assert.equal(await page.isVisible("#login"), true);
    assert.equal(await page.textContent("#state"), "disconnected");
    return page;
  }

  it("asks for a token, refuses a bad one and chats with a good one", async () => {
    const ada = await openTab();
    await logIn(ada, token("ada").slice(0, -4) + "AAAA");
    await logHas(ada, "token refused (TOKEN_INVALID)");
    assert.equal(await ada.textContent("#state"), "disconnected");

    await logIn(ada, token("ada"));
    await ada.waitForFunction(() => document.querySelector("#state").textContent === "connected");
    await logHas(ada, "joined lobby");
    assert.equal(await ada.isVisible("#login"), false);

    const bob = await openTab();
    await logIn(bob, token("bob"));
    await logHas(bob, "joined lobby");

    await ada.fill("#text", "hello with a token");
    await ada.press("#text", "Enter");
    await logHas(bob, "ada:hello with a token");
    await ada.context().close();
    await bob.context().close();
  });
});
