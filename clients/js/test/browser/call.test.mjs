// call() in headless Chromium pages with fake cameras against the standalone server
// (SWITCHBOARD_URL; JWT_SECRET its --jwt-secret; --call-mesh-limit 3, --turn-ttl of a few seconds,
// SFU tokens on): a mesh of three negotiated with perfect negotiation, offers crossing on purpose,
// TURN credentials renewed before they expire, a full call answered with an SFU token, hang-up. With TURN_PORT (coturn's) and TURN_PROXY_PORT (the one
// TCP TURN URL the server hands out), a relay-only call restarts ICE when its relay is cut.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { MEDIA_ARGS, launchBrowser, packagePage, until } from "./support.mjs";
import { token } from "../integration/jwt.mjs";
import { turnTcpProxy } from "../../../../interop/browser/turn-proxy.mjs";

const TURN_PORT = Number(process.env.TURN_PORT);
const TURN_PROXY_PORT = Number(process.env.TURN_PROXY_PORT);

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
      window.told = { peer: 0, track: 0, leave: [], iceservers: [], errors: [], states: [] };
      window.join = async (name, extra = {}) => {
        try {
          window.current = await window.lib.call(window.socket.room(name), {
            ...extra,
            onState: (peer) => window.told.states.push({ state: peer.connectionState, at: performance.timeOrigin + performance.now() }),
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
        peers: window.current.peers.length, id: peer.id, polite: peer.polite, ignoredOffers: peer.ignoredOffers, restarts: peer.restarts,
        connectionState: peer.pc.connectionState, signalingState: peer.pc.signalingState,
        video: peer.stream ? peer.stream.getVideoTracks().length : 0, framesDecoded, errors: window.told.errors,
      };
    });
  }

  /** Waits until video flows: long enough for one restart by connectTimeout (10 s) and its connection. */
  const flowing = (page, moreThan = 0) => until("video flows", () => link(page),
    (s) => s.connectionState === "connected" && s.signalingState === "stable" && s.video === 1 && s.framesDecoded > moreThan, 25_000);

  /** Each of the page's connections: its peer, state and video frames decoded. */
  const all = (page) => page.evaluate(() => Promise.all(window.current.peers.map(async (peer) => {
    const stats = await peer.pc.getStats();
    let framesDecoded = 0;
    stats.forEach((r) => { if (r.type === "inbound-rtp" && r.kind === "video") framesDecoded = r.framesDecoded ?? 0; });
    return { id: peer.id, polite: peer.polite, connectionState: peer.pc.connectionState, framesDecoded };
  })));

  /** The candidate types of the page's selected pair. */
  const path = (page) => page.evaluate(async () => {
    const stats = await window.current.peers[0].pc.getStats();
    let pair = null;
    stats.forEach((r) => { if (r.type === "transport" && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
    return pair && [stats.get(pair.localCandidateId)?.candidateType, stats.get(pair.remoteCandidateId)?.candidateType];
  });

  it("two members who join at once connect both ways, survive crossing offers, renew their TURN credentials; a third meshes with both; hang-up", async () => {
    room = `call:mesh-${process.pid}-${++n}`;
    const ada = await member("ada");
    const bob = await member("bob");
    const joined = await Promise.all([ada.evaluate((r) => window.join(r), room), bob.evaluate((r) => window.join(r), room)]);
    assert.deepEqual(joined, [{ ok: true }, { ok: true }]);

    const [a, b] = [await flowing(ada), await flowing(bob)];
    console.log(`CALL_CONNECT ICE restarts needed before the first connection: ${a.restarts + b.restarts}`);
    assert.equal(a.id, "bob");
    assert.equal(b.id, "ada");
    assert.equal(a.polite, true, "the smaller id is polite");
    assert.equal(b.polite, false);

    // --turn-ttl is a few seconds: new credentials arrive before the old expire
    const initial = await ada.evaluate(() => window.current.peers[0].pc.getConfiguration().iceServers[0].username);
    await until("TURN credentials were renewed", () => ada.evaluate(() => window.told.iceservers.length), (count) => count >= 1);

    // both restart ICE in the same moment: two offers cross, the impolite side keeps its own;
    // both gather again with the renewed credentials
    await Promise.all([ada.evaluate(() => window.current.restartIce()), bob.evaluate(() => window.current.restartIce())]);
    const [a2, b2] = [await flowing(ada, a.framesDecoded), await flowing(bob, b.framesDecoded)];
    console.log(`CALL_GLARE offers ignored by the impolite side: ${b2.ignoredOffers}, by the polite: ${a2.ignoredOffers}`);
    assert.equal(a2.ignoredOffers, 0, "the polite side never ignores an offer");
    const used = await ada.evaluate(() => ({
      now: window.current.peers[0].pc.getConfiguration().iceServers[0].username,
      renewed: window.told.iceservers.map((servers) => servers[0].username),
    }));
    assert.notEqual(used.now, initial);
    assert.ok(used.renewed.includes(used.now), JSON.stringify(used));
    assert.deepEqual([...a2.errors, ...b2.errors], []);

    // a third member comes (the polite one towards both: they make the first offers) and meshes with both
    const abe = await member("abe");
    assert.deepEqual(await abe.evaluate((r) => window.join(r), room), { ok: true });
    for (const page of [ada, bob, abe]) {
      await until("every member has video from both others", () => all(page),
        (peers) => peers.length === 2 && peers.every((s) => s.connectionState === "connected" && s.framesDecoded > 0));
    }
    assert.deepEqual((await all(abe)).map((s) => [s.id, s.polite]).sort(), [["ada", true], ["bob", true]]);

    // hang-up: the others are told and drop their connection to her; her camera stops
    await ada.evaluate(() => window.current.hangUp());
    for (const page of [bob, abe]) {
      await until("ada's leaving is seen", () => page.evaluate(() => ({ left: window.told.leave, peers: window.current.peers.map((p) => p.id) })),
        (s) => s.left.includes("ada") && s.peers.length === 1 && !s.peers.includes("ada"));
    }
    assert.deepEqual(await ada.evaluate(() => window.current.localStream.getTracks().map((t) => t.readyState)), ["ended", "ended"]);
    for (const page of [bob, abe]) await page.evaluate(() => window.current.hangUp());
    for (const page of [ada, bob, abe]) await page.context().close();
  });

  it("a member past the mesh limit is refused CALL_FULL with an SFU token", async () => {
    room = `call:full-${process.pid}-${++n}`;
    const pages = [await member("cat"), await member("dan"), await member("eli"), await member("eve")];
    for (const page of pages.slice(0, 3)) assert.deepEqual(await page.evaluate((r) => window.join(r), room), { ok: true });
    const full = await pages[3].evaluate((r) => window.join(r), room);
    assert.equal(full.ok, false);
    assert.equal(full.code, "CALL_FULL");
    assert.equal(full.limit, 3);
    assert.equal(full.sfu, true);
    const [, claims] = full.sfuToken.token.split(".").slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url")));
    assert.equal(claims.sub, "eve");
    assert.equal(claims.video.room, room);
    assert.ok(full.sfuToken.expiresAt > Date.now());
    assert.equal(await pages[3].evaluate((r) => window.socket.room(r).joined, room), false);
    await flowing(pages[0]);
    for (const page of pages) await page.context().close();
  });

  it("a relay-only call whose relay is cut fails, restarts ICE by itself, and its video flows again", { skip: !TURN_PORT }, async () => {
    const proxy = await turnTcpProxy(TURN_PORT, TURN_PROXY_PORT);
    try {
      room = `call:restart-${process.pid}-${++n}`;
      const ivy = await member("ivy");
      const jon = await member("jon");
      const relayOnly = { configuration: { iceTransportPolicy: "relay" }, disconnectedTimeout: 60_000 };
      const joined = await Promise.all([ivy.evaluate(([r, o]) => window.join(r, o), [room, relayOnly]),
        jon.evaluate(([r, o]) => window.join(r, o), [room, relayOnly])]);
      assert.deepEqual(joined, [{ ok: true }, { ok: true }]);
      const before = await flowing(jon);
      assert.deepEqual(await path(jon), ["relay", "relay"]);
      await until("ivy's relay is known", async () => proxy.users(), (users) => users.includes("ivy"));

      const cutAt = Date.now();
      assert.ok(proxy.cut("ivy") > 0);
      await until("ivy's connection failed", () => ivy.evaluate(() => window.told.states.map((s) => s.state)), (states) => states.includes("failed"));
      await flowing(jon, before.framesDecoded);
      const back = await flowing(ivy);
      const states = await ivy.evaluate(() => window.told.states);
      const restartedAt = states.findLast((s) => s.state === "connected").at;
      assert.deepEqual(await path(ivy), ["relay", "relay"]);
      assert.deepEqual(back.errors, []);
      console.log(`CALL_ICE_RESTART relay cut to connected again in ${(restartedAt - cutAt).toFixed(0)} ms;`
        + ` ivy's states: ${states.map((s) => s.state).join(" > ")}`);
      for (const page of [ivy, jon]) await page.evaluate(() => window.current.hangUp());
      for (const page of [ivy, jon]) await page.context().close();
    } finally {
      await proxy.close();
    }
  });
});
