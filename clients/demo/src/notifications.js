// The Notifications tab: the pattern guide's useSSE, without React: an EventSource on the room
// "alerts" listening for `notification` events. The button publishes one into the room; a backend
// does the same through the server API (the command shown).
import { $, el, pill } from "./dom.js";

const ROOM = "alerts";

export function notificationsTab({ socket, name, token }, settings) {
  const url = settings.ssePath + "?rooms=" + ROOM;
  $("sse-url").textContent = url;
  $("notify-curl").textContent = "curl -H \"X-API-Key: $SWITCHBOARD_API_KEY\" -H 'Content-Type: application/json' "
    + `-d '{"room":"${ROOM}","event":"notification","data":{"title":"Deploy finished"}}' ${location.origin}/api/v1/server/publish`;

  const source = new EventSource(token() ? url + "&token=" + encodeURIComponent(token()) : url);
  source.onopen = () => pill("sse-state", "open", "connected");
  source.onerror = () => pill("sse-state", "reconnecting", "disconnected");
  source.addEventListener("notification", (event) => {
    const note = JSON.parse(event.data);
    const time = new Date().toLocaleTimeString();
    $("notes").prepend(el("li", {}, el("strong", {}, note.title ?? "(untitled)"), ` from ${note.from ?? "a backend"} at ${time}`));
  });

  $("notify-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const title = $("notify-title").value.trim();
    if (!title) return;
    $("notify-title").value = "";
    socket.room(ROOM).publish("notification", { title, from: name }).catch((error) =>
      $("notes").prepend(el("li", { className: "error" }, "not sent: " + error.message)));
  });
}
