// The Chat tab: rooms, who is in them, who is typing, and messages sent through the durable
// offline queue (shown greyed until the server has them; the Pending badge counts them).
import { $, el, line } from "./dom.js";

const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 3500;

export function chatTab() {
  const logs = new Map();
  let current = null;
  let connection = null;
  let unsubscribePresence = () => {};

  function logOf(room) {
    if (!logs.has(room)) {
      const log = el("div", { className: "room-log" });
      log.dataset.room = room;
      $("log").append(log);
      logs.set(room, log);
    }
    return logs.get(room);
  }

  function add(room, text, who, className) {
    const div = line(logOf(room), text, who, className);
    $("log").scrollTop = $("log").scrollHeight;
    return div;
  }

  /** A grey line in the room shown now (the lobby before any is shown). */
  const system = (text) => add(current ?? "lobby", text, null, "system");

  function renderRooms() {
    $("rooms").replaceChildren(...[...logs.keys()].map((room) => {
      const button = el("button", { type: "button" }, room);
      button.setAttribute("aria-current", String(room === current));
      button.addEventListener("click", () => show(room));
      return el("li", {}, button);
    }));
  }

  function show(room) {
    current = room;
    for (const [name, log] of logs) log.hidden = name !== room;
    renderRooms();
    typing.clear();
    renderTyping();
    unsubscribePresence();
    unsubscribePresence = connection.socket.room(room).onPresence((members) => {
      $("members").replaceChildren(...members.map((member) =>
        el("li", {}, (member.name || member.id) + (member.id === connection.userId() ? " (you)" : ""))));
    });
  }

  // Who is typing in the room shown: a name disappears a while after its last keystroke or with its message.
  const typing = new Map();
  function renderTyping() {
    const names = [...typing.keys()];
    $("typing").textContent = names.length === 0 ? "" : names.join(", ") + (names.length === 1 ? " is typing…" : " are typing…");
  }
  function typed(room, name) {
    if (room !== current || name === connection.name) return;
    clearTimeout(typing.get(name));
    typing.set(name, setTimeout(() => { typing.delete(name); renderTyping(); }, TYPING_SHOWN_MS));
    renderTyping();
  }
  function stoppedTyping(room, name) {
    if (room !== current || !typing.has(name)) return;
    clearTimeout(typing.get(name));
    typing.delete(name);
    renderTyping();
  }

  async function enter(name) {
    const room = connection.socket.room(name);
    logOf(name);
    show(name);
    if (room.joined) return;
    room.on("chat", (data) => {
      add(name, data.text, data.name + ":");
      stoppedTyping(name, data.name);
    });
    room.on("typing", (data) => typed(name, data.name));
    try {
      await room.join();
    } catch (error) {
      system("cannot join " + name + ": " + error.message);
      return;
    }
    // The last messages, so that a newcomer sees what was said before.
    const { messages } = await room.history({ limit: 20 }).catch(() => ({ messages: [] }));
    const earlier = messages.filter((m) => m.event === "chat").map((m) => line(el("div"), m.data.text, m.data.name + ":", "earlier"));
    logOf(name).prepend(...earlier);
    add(name, "joined " + name, null, "system");
  }

  function send(text) {
    const room = current;
    const mine = add(room, text, connection.name + ":", "me pending");
    const waiting = el("small", {}, " (waiting for the network)");
    mine.append(waiting);
    connection.socket.room(room).publish("chat", { name: connection.name, text }).then(
      () => {
        mine.classList.remove("pending");
        waiting.remove();
      },
      (error) => {
        mine.classList.replace("pending", "error");
        add(room, "not sent: " + error.message, null, "system");
      });
  }

  function start(shared) {
    connection = shared;
    $("room-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const name = $("room").value.trim();
      if (name) enter(name);
      $("room").value = "";
    });
    $("form").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = $("text").value;
      if (!text || !current) return;
      send(text);
      $("text").value = "";
    });
    // Typing is news only now: sent straight (not queued), at most every two seconds, and not when offline.
    let lastTyping = 0;
    $("text").addEventListener("input", () => {
      if (!shared.socket.connected || !current || Date.now() - lastTyping < TYPING_EVERY_MS) return;
      lastTyping = Date.now();
      shared.socket.emit("room:publish", { room: current, event: "typing", data: { name: shared.name } });
    });
    enter("lobby");
  }

  return { system, start };
}
