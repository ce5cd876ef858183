// The connection every tab shares, and the panel that shows it: state, transport, reconnection
// attempts, whether the session was recovered, and the messages waiting in the offline queue.
import { connect } from "@switchboard/client";
import { $, pill } from "./dom.js";

const NAME_KEY = "switchboard-demo-name";
const TOKEN_KEY = "switchboard-demo-token";
const AUTH_CODES = ["AUTH_REQUIRED", "TOKEN_INVALID", "TOKEN_EXPIRED", "TOKEN_NOT_YET_VALID", "WRONG_ISSUER", "WRONG_AUDIENCE"];

function tokenSubject(token) {
  try {
    return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub;
  } catch {
    return null;
  }
}

/**
 * Connects as this tab's user: one name per tab (two tabs of one browser are two users), also the
 * user id without authentication. With authentication on, a JWT pasted into the login form is kept
 * for the tab and sent with every (re)connection. `system(text)` tells the user what happens.
 */
export function openConnection({ system }) {
  const name = sessionStorage.getItem(NAME_KEY) || "guest-" + Math.floor(Math.random() * 1000);
  sessionStorage.setItem(NAME_KEY, name);
  $("name").value = name;
  $("name").addEventListener("change", () => {
    sessionStorage.setItem(NAME_KEY, $("name").value.trim() || name);
    location.reload(); // the presence lists show the new name once the tab connects with it
  });

  const token = () => sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  const socket = connect(location.origin, {
    getToken: token,
    auth: { user: { id: name, name } },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  const userId = () => (token() ? tokenSubject(token()) : name);

  let attempts = 0;
  let connections = 0;
  const toggle = () => { $("toggle-connection").textContent = socket.active ? "Go offline" : "Go online"; };
  socket.on("connect", () => {
    connections++;
    pill("state", "connected", "connected");
    $("login").hidden = true;
    const recovered = connections === 1 ? "new session" : socket.recovered ? "yes" : "no";
    pill("recovered", recovered, socket.recovered ? "connected" : "");
    if (connections > 1) system(socket.recovered ? "reconnected: session recovered" : "reconnected: new session, rooms joined again");
    $("transport").textContent = socket.io.engine.transport.name;
    socket.io.engine.once("upgrade", (transport) => { $("transport").textContent = transport.name; });
    toggle();
  });
  socket.on("disconnect", (reason) => {
    pill("state", "disconnected", "disconnected");
    system("disconnected: " + reason);
    toggle();
  });
  socket.on("connect_error", (error) => {
    pill("state", "disconnected", "disconnected");
    const code = error.data && error.data.code;
    if (AUTH_CODES.includes(code)) askForToken(code === "AUTH_REQUIRED" ? "authentication required" : "token refused (" + code + ")");
    else system("connection error: " + error.message);
  });
  socket.on("auth:expired", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken("your token expired");
  });
  socket.io.on("reconnect_attempt", () => { $("reconnects").textContent = String(++attempts); });
  socket.queue.on("pending", (count) => pill("pending", String(count), count > 0 ? "busy" : ""));

  function askForToken(why) {
    $("login").hidden = false;
    system(why + ": paste a token (JWT) above and log in");
    // Not while the user types elsewhere (their name, say): the keys would land in the token field.
    if (!document.activeElement || document.activeElement === document.body) $("token").focus();
  }
  $("login").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    socket.disconnect().connect();
  });
  // Going offline by hand: what is sent meanwhile waits in the queue (IndexedDB) and leaves once online.
  $("toggle-connection").addEventListener("click", () => {
    if (socket.active) socket.disconnect();
    else socket.connect();
    toggle();
  });

  // The name shown with what this tab sends: the token's subject when logged in.
  return { socket, get name() { return userId() ?? name; }, userId, token, system };
}
