// call() in headless Chromium pages with fake cameras against the standalone server
// (SWITCHBOARD_URL; JWT_SECRET its --jwt-secret; --call-mesh-limit 2, --turn-ttl of a few seconds,
// SFU tokens on): a mesh negotiated with perfect negotiation (both sides offer at once when they
// meet), offers crossing on purpose, TURN credentials renewed before they expire, a full call
// answered with an SFU token, and hang-up.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { MEDIA_ARGS, launchBrowser, packagePage, until } from "./support.mjs";
import { token } from "../integration/jwt.mjs";

describe("call() between Chromium pages", { timeout: 120_000 }, () => {
  let browser;
  let room;
  let n = 0;

  before(async () => {
    browser = await launchBrowser(MEDIA_ARGS);
  });
  after(async () => {
    await browser?.close();
  });

  /** A page of user `sub`, connected; `window.join()` starts the call in `room` and records what it is told. */
  async function member(sub) {
    const page = await packagePage(browser);
    await page.evaluate(({ jwt }) => {
      window.socket = window.lib.connect(location.origin, { token: jwt, transports: ["websocket"], queue: { store: new window.lib.MemoryStore() } });
      window.told = { peer: 0, track: 0, leave: [], iceservers: [], errors: [] };
      window.join = async (name) => {
        try {
          window.current = await window.lib.call(window.socket.room(name), {
            onPeer: () => window.told.peer++,
            onTrack: () => window.told.track++,
            onLeave: (id) => window.told.leave.push(id),
            onIceServers: (servers) => window.told.iceservers.push(servers),
            onError: (e) => window.told.errors.push(String(e.message ?? e)),
          });
          return { ok: true };
        } catch (e) {
          return { ok: false, code: e.code, limit: e.limit, sfu: e.sfu, sfuToken: e.sfuToken };
        }
      };
    }, { jwt: token(sub) });
    await page.waitForFunction(() => window.socket.connected);
    return page;
  }

  /** What a page's connection to its one peer says: states, and video frames decoded from it. */
  function link(page) {
    return page.evaluate(async () => {
      const [peer] = window.current.peers;
      if (!peer) return { peers: 0 };
      const stats = await peer.pc.getStats();
      let framesDecoded = 0;
      stats.forEach((r) => {
        if (r.type === "inbound-rtp" && r.kind === "video") framesDecoded = r.framesDecoded ?? 0;
      });
      return {
        peers: window.current.peers.length, id: peer.id, polite: peer.polite, ignoredOffers: peer.ignoredOffers,
        connectionState: peer.pc.connectionState, signalingState: peer.pc.signalingState,
        video: peer.stream ? peer.stream.getVideoTracks().length : 0, framesDecoded, errors: window.told.errors,
      };
    });
  }

  const flowing = (page, moreThan = 0) => until("video flows", () => link(page),
    (s) => s.connectionState === "connected" && s.signalingState === "stable" && s.video === 1 && s.framesDecoded > moreThan);

  it("two members who join at once connect both ways, survive crossing offers, and renew their TURN credentials", async () => {
    room = `call:mesh-${process.pid}-${++n}`;
    const ada = await member("ada");
    const bob = await member("bob");
    const joined = await Promise.all([ada.evaluate((r) => window.join(r), room), bob.evaluate((r) => window.join(r), room)]);
    assert.deepEqual(joined, [{ ok: true }, { ok: true }]);

    const [a, b] = [await flowing(ada), await flowing(bob)];
    assert.equal(a.id, "bob");
    assert.equal(b.id, "ada");
    assert.equal(a.polite, true, "the smaller id is polite");
    assert.equal(b.polite, false);

    // both restart ICE in the same moment: two offers cross, the impolite side keeps its own
    await Promise.all([ada.evaluate(() => window.current.restartIce()), bob.evaluate(() => window.current.restartIce())]);
    const [a2, b2] = [await flowing(ada, a.framesDecoded), await flowing(bob, b.framesDecoded)];
    console.log(`CALL_GLARE offers ignored by the impolite side: ${b2.ignoredOffers}, by the polite: ${a2.ignoredOffers}`);
    assert.equal(a2.ignoredOffers, 0, "the polite side never ignores an offer");

    // --turn-ttl is a few seconds: new credentials arrive before the old expire and reach the connection
    const renewed = await until("TURN credentials were renewed", () => ada.evaluate(() => ({
      told: window.told.iceservers.map((s) => s[0]?.username),
      used: window.current.peers[0].pc.getConfiguration().iceServers[0]?.username,
    })), (s) => s.told.length >= 1 && s.used === s.told.at(-1));
    const [expiry] = renewed.used.split(":");
    assert.ok(Number(expiry) * 1000 > Date.now(), "the connection has credentials that have not expired");
    assert.deepEqual([...a2.errors, ...b2.errors], []);

    // hang-up: the other side is told and drops the connection; the caller's camera stops
    await ada.evaluate(() => window.current.hangUp());
    await until("bob saw ada leave", () => bob.evaluate(() => ({ left: window.told.leave, peers: window.current.peers.length })),
      (s) => s.left.includes("ada") && s.peers === 0);
    assert.deepEqual(await ada.evaluate(() => window.current.localStream.getTracks().map((t) => t.readyState)), ["ended", "ended"]);
    await bob.evaluate(() => window.current.hangUp());
    await ada.context().close();
    await bob.context().close();
  });

  it("a member past the mesh limit is refused CALL_FULL with an SFU token", async () => {
    room = `call:full-${process.pid}-${++n}`;
    const pages = [await member("cat"), await member("dan"), await member("eve")];
    assert.deepEqual(await pages[0].evaluate((r) => window.join(r), room), { ok: true });
    assert.deepEqual(await pages[1].evaluate((r) => window.join(r), room), { ok: true });
    const full = await pages[2].evaluate((r) => window.join(r), room);
    assert.equal(full.ok, false);
    assert.equal(full.code, "CALL_FULL");
    assert.equal(full.limit, 2);
    assert.equal(full.sfu, true);
    const [, claims] = full.sfuToken.token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url")));
    assert.equal(claims.sub, "eve");
    assert.equal(claims.video.room, room);
    assert.ok(full.sfuToken.expiresAt > Date.now());
    assert.equal(await pages[2].evaluate((r) => window.socket.room(r).joined, room), false);
    await flowing(pages[0]);
    for (const page of pages) await page.context().close();
  });
});
