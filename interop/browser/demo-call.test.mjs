// The demo app's Call tab in Chromium tabs with fake cameras: two tabs see and hear each other,
// a third makes it a mesh of three, a fourth finds the call full, each tab shows every connection's
// state and path (direct or relayed); mute and hang-up work. Screenshots of the tabs are checked and saved in SCREENSHOT_DIR.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, screenshot } from "./support.mjs";
import { MEDIA_ARGS } from "./pattern3-page.mjs";
import { SCREENSHOTS, openDemo, showTab } from "./demo-page.mjs";

const CALL = `standup-${process.pid}`;

describe("demo app Call tab in Chromium", { timeout: 90000 }, () => {
  let browser;

  before(async () => {
    browser = await launchBrowser(MEDIA_ARGS);
  });

  after(async () => {
    await browser?.close();
  });

  async function joinCall(name) {
    const page = await openDemo(browser, name);
    await showTab(page, "call");
    await page.fill("#call-id", CALL);
    await page.click("#join-call");
    await page.waitForFunction(() => !["joining", "not in a call"].includes(document.querySelector("#call-state").textContent)
      || document.querySelector("#call-log").textContent !== "", null, { polling: 50 });
    assert.equal(await page.textContent("#call-state"), "in call:" + CALL, await page.textContent("#call-log"));
    return page;
  }

  /** The remote tiles the tab shows: user, connection state, path, and whether their video plays. */
  const remoteTiles = (page) => page.evaluate(() => [...document.querySelectorAll(".tile:not(#tile-local)")].map((tile) => {
    const video = tile.querySelector("video");
    return {
      who: tile.querySelector(".who").textContent,
      state: tile.querySelector(".state").textContent,
      path: tile.querySelector(".path").textContent,
      videoWidth: video.videoWidth,
      playing: !video.paused && video.readyState >= 2,
    };
  }));

  /** Waits until the tab plays the video of exactly `others`, connected directly. */
  async function seesAndPlays(page, others) {
    const shown = page.waitForFunction((expected) => {
      const tiles = [...document.querySelectorAll(".tile:not(#tile-local)")];
      return tiles.length === expected.length && tiles.every((tile) => {
        const video = tile.querySelector("video");
        return expected.includes(tile.querySelector(".who").textContent) && video.videoWidth > 0 && !video.paused
          && tile.querySelector(".state").textContent === "connected" && tile.querySelector(".path").textContent !== "";
      });
    }, others, { timeout: 20000, polling: 100 });
    try {
      await shown;
    } catch (e) {
      const name = await page.inputValue("#name");
      throw new Error(`${name} does not play the video of ${others}: ${JSON.stringify(await remoteTiles(page))}`
        + ` ${await page.textContent("#call-log")}`, { cause: e });
    }
    const tiles = await remoteTiles(page);
    for (const tile of tiles) {
      assert.equal(tile.path, "direct", JSON.stringify(tile));
      assert.ok(tile.videoWidth > 0 && tile.playing, JSON.stringify(tile));
    }
    const local = await page.evaluate(() => document.querySelector("#tile-local video").videoWidth);
    assert.ok(local > 0, "the tab shows its own camera");
    return tiles;
  }

  it("two tabs call each other, a third joins the mesh, a fourth finds it full, mute and hang-up work", async () => {
    const ada = await joinCall("ada");
    assert.match(await ada.textContent("#call-log"), /waiting for someone/);
    const bob = await joinCall("bob");
    await seesAndPlays(ada, ["bob"]);
    await seesAndPlays(bob, ["ada"]);
    await screenshot(ada, SCREENSHOTS, "demo-call-ada.png", ["in call:" + CALL, "you (ada)", "bob", "direct"]);
    await screenshot(bob, SCREENSHOTS, "demo-call-bob.png", ["in call:" + CALL, "you (bob)", "ada", "direct"]);

    // The device lists come from enumerateDevices: the fake camera and microphone are chosen.
    assert.ok(await ada.locator("#camera option").count() >= 1);
    assert.ok(await ada.locator("#microphone option").count() >= 1);
    assert.notEqual(await ada.inputValue("#camera"), "");

    const cy = await joinCall("cy");
    await seesAndPlays(cy, ["ada", "bob"]);
    await seesAndPlays(ada, ["bob", "cy"]);
    await seesAndPlays(bob, ["ada", "cy"]);
    await screenshot(cy, SCREENSHOTS, "demo-call-mesh.png", ["in call:" + CALL, "you (cy)", "ada", "bob"]);

    // A fourth tab finds the call full (the server runs with --call-mesh-limit 3 and SFU keys): it
    // says so, with the SFU token the server issued, and opens no camera.
    const dee = await openDemo(browser, "dee");
    await showTab(dee, "call");
    await dee.fill("#call-id", CALL);
    await dee.click("#join-call");
    await dee.waitForFunction(() => document.querySelector("#call-state").textContent === "not in a call"
      && document.querySelector("#call-log").textContent !== "", null, { polling: 50 });
    assert.match(await dee.textContent("#call-log"), /^this call is full \(3 people\): a bigger call needs an SFU \(the server issued a LiveKit token/);
    assert.equal(await dee.locator(".tile").count(), 0);
    assert.equal(await dee.locator("#camera option").count(), 0);
    assert.equal(await dee.isDisabled("#join-call"), false);
    await dee.context().close();

    await ada.click("#mute");
    assert.equal(await ada.textContent("#mute"), "Unmute");
    assert.equal(await ada.evaluate(() => document.querySelector("#tile-local video").srcObject.getAudioTracks()[0].enabled), false);

    await bob.click("#hang-up");
    assert.equal(await bob.textContent("#call-state"), "not in a call");
    assert.equal(await bob.locator(".tile").count(), 0);
    await seesAndPlays(ada, ["cy"]);
    await seesAndPlays(cy, ["ada"]);
    for (const page of [ada, bob, cy]) await page.context().close();
  });
});
