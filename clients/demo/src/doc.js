// The Doc tab: one text edited together by every tab on the document, merged by a CRDT (Yjs).
// Edits travel as binary Yjs updates (`doc:update`) through the offline queue, so edits made
// offline arrive once the tab is back. A tab that joins first applies what the room's history
// still holds (enough when the document is young, even with nobody else here), then, as on every
// reconnection, sends its state vector (`doc:sync`): the others answer with what it lacks
// (`doc:state`), so a late joiner gets the whole document once the history has forgotten its start.
import * as Y from "yjs";
import { $, bytes, pill } from "./dom.js";

const ROOM = "doc:demo";
const REMOTE = "remote";
/** History messages read per request: each may carry one binary update. */
const HISTORY_PAGE = 10;
/** The size of an encoded Yjs update that carries nothing. */
const EMPTY_UPDATE = 2;

export function docTab({ socket, userId }) {
  const doc = new Y.Doc();
  const text = doc.getText("text");
  const room = socket.room(ROOM);
  const area = $("doc-text");
  $("doc-room").textContent = ROOM;

  doc.on("update", (update, origin) => {
    if (origin !== REMOTE) room.publish("doc:update", { update }).catch((error) => pill("doc-sync", "edit refused: " + error.code, "disconnected"));
  });
  room.on("doc:update", ({ update }) => Y.applyUpdate(doc, bytes(update), REMOTE));
  room.on("doc:sync", ({ sv }) => {
    const missing = Y.encodeStateAsUpdate(doc, bytes(sv));
    if (missing.length > EMPTY_UPDATE) socket.emit("room:publish", { room: ROOM, event: "doc:state", data: { update: missing } });
  });
  room.on("doc:state", ({ update }) => {
    Y.applyUpdate(doc, bytes(update), REMOTE);
    pill("doc-sync", "synced", "connected");
  });
  room.onPresence((members) => {
    $("doc-members").textContent = members.map((m) => (m.id === userId() ? "you" : m.name || m.id)).join(", ") || "-";
  });

  /**
   * Applies the updates the room's history holds, oldest first, a page at a time: socket.io-client
   * drops the connection on a packet of more than 10 binary attachments (its parser's maxAttachments).
   * Updates whose predecessors the history lost wait inside Yjs until a doc:state brings them.
   */
  async function readHistory() {
    let since;
    for (;;) {
      const page = await room.history(since === undefined ? { limit: HISTORY_PAGE } : { since, limit: HISTORY_PAGE });
      for (const m of page.messages) {
        if (m.event === "doc:update" || m.event === "doc:state") Y.applyUpdate(doc, bytes(m.data.update), REMOTE);
      }
      if (!page.more || page.messages.length === 0) return;
      since = page.messages.at(-1).position;
    }
  }

  let historyRead = false;
  /** Reads the room's history once, then asks the tabs already on the document for what this one lacks. */
  async function sync() {
    try {
      await room.join();
      if (!historyRead) {
        historyRead = true;
        await readHistory();
        if (text.length > 0) pill("doc-sync", "loaded from history", "connected");
      }
      await socket.emitWithAck("room:publish", { room: ROOM, event: "doc:sync", data: { sv: Y.encodeStateVector(doc) } });
      if (room.members.every((m) => m.id === userId())) {
        if ($("doc-sync").textContent === "-") pill("doc-sync", "only you here", "connected");
      } else if ($("doc-sync").textContent === "-") pill("doc-sync", "loading", "busy");
    } catch (error) {
      pill("doc-sync", "cannot join: " + error.message, "disconnected");
    }
  }
  socket.on("connect", sync);

  // The textarea holds the text: a local edit becomes the Yjs change between the old and new value
  // (what differs between their common start and end); a remote one is shown keeping the caret in place.
  area.addEventListener("input", () => {
    const before = text.toString();
    const after = area.value;
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let endBefore = before.length;
    let endAfter = after.length;
    while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
      endBefore--;
      endAfter--;
    }
    doc.transact(() => {
      if (endBefore > start) text.delete(start, endBefore - start);
      if (endAfter > start) text.insert(start, after.slice(start, endAfter));
    });
  });
  text.observe((event, transaction) => {
    if (transaction.origin !== REMOTE) return;
    let { selectionStart: from, selectionEnd: to } = area;
    let index = 0;
    for (const change of event.delta) {
      if (change.retain) index += change.retain;
      else if (change.insert) {
        const n = change.insert.length;
        if (index < from) from += n;
        if (index < to) to += n;
        index += n;
      } else if (change.delete) {
        if (index < from) from -= Math.min(change.delete, from - index);
        if (index < to) to -= Math.min(change.delete, to - index);
      }
    }
    area.value = text.toString();
    area.setSelectionRange(from, to);
  });
}
