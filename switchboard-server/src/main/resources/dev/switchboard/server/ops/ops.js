// The ops page: follows /admin/stream (one cluster snapshot every 2 s) and draws it. Room names
// and other values from the server only ever go into text nodes, never into HTML.
"use strict";

const HISTORY_POINTS = 150; // 5 minutes at one snapshot every 2 s
const COLORS = ["#2f6fde", "#e67e22", "#1f8a4c", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d4ac0d"];

const state = { snapshots: 0, last: null, connections: new Map(), deliveries: new Map() };
window.ops = state;

const $ = (id) => document.getElementById(id);

function text(value) {
  return value === null || value === undefined ? "–" : String(value);
}

function shortNode(id) {
  return id.length > 12 ? id.slice(0, 8) + "…" : id;
}

function duration(seconds) {
  const d = Math.floor(seconds / 86400), h = Math.floor(seconds / 3600) % 24, m = Math.floor(seconds / 60) % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m ${seconds % 60}s`;
}

function cell(row, value, className) {
  const td = document.createElement("td");
  td.textContent = text(value);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function fillTable(id, items, columns) {
  const body = $(id).querySelector("tbody");
  const rows = items.map((item) => {
    const tr = document.createElement("tr");
    for (const [get, className] of columns) {
      cell(tr, get(item), typeof className === "function" ? className(item) : className);
    }
    return tr;
  });
  body.replaceChildren(...rows);
}

/** Appends the value of each series at time t, keeping the last HISTORY_POINTS. */
function record(store, t, values) {
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    if (!store.has(key)) store.set(key, []);
    const points = store.get(key);
    points.push({ t, v: value });
    if (points.length > HISTORY_POINTS) points.shift();
  }
  for (const key of [...store.keys()]) {
    if (!(key in values)) {
      const points = store.get(key);
      if (points.length && t - points[points.length - 1].t > HISTORY_POINTS * 2000) store.delete(key);
    }
  }
}

/** A line chart of `store`'s series on `canvas`, one line per series, the y axis from 0. */
function draw(canvas, store, latest) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width, height = canvas.clientHeight || canvas.height;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext("2d");
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const left = 44, right = 8, top = 8, bottom = 20;
  const series = [...store.entries()];
  const all = series.flatMap(([, points]) => points);
  canvas.dataset.latest = text(latest);
  canvas.dataset.points = String(all.length);
  let max = Math.max(4, ...all.map((p) => p.v));
  const magnitude = Math.pow(10, Math.floor(Math.log10(max)));
  max = Math.ceil(max / magnitude) * magnitude;
  const now = all.length ? Math.max(...all.map((p) => p.t)) : Date.now();
  const span = HISTORY_POINTS * 2000;
  const x = (t) => left + (width - left - right) * (1 - (now - t) / span);
  const y = (v) => top + (height - top - bottom) * (1 - v / max);
  g.strokeStyle = "#e2e5ea";
  g.fillStyle = "#6b7382";
  g.font = "11px system-ui, sans-serif";
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    g.beginPath();
    g.moveTo(left, y(v));
    g.lineTo(width - right, y(v));
    g.stroke();
    g.fillText(v >= 1000 ? (v / 1000).toFixed(1) + "k" : String(Math.round(v * 10) / 10), 4, y(v) + 4);
  }
  g.fillText("5 min", left, height - 4);
  g.fillText("now", width - right - 22, height - 4);
  series.forEach(([label, points], index) => {
    g.strokeStyle = COLORS[index % COLORS.length];
    g.lineWidth = 2;
    g.beginPath();
    points.forEach((p, i) => (i === 0 ? g.moveTo(x(p.t), y(p.v)) : g.lineTo(x(p.t), y(p.v))));
    g.stroke();
    g.fillStyle = g.strokeStyle;
    g.fillText(label, left + 8 + index * 110, top + 12);
  });
}

function render(snapshot) {
  state.snapshots++;
  state.last = snapshot;
  $("updated").textContent = new Date(snapshot.time).toLocaleTimeString();
  $("serving").textContent = snapshot.node;
  $("node-count").textContent = `${snapshot.nodes.length} answering${snapshot.partial ? " (some node did not answer in time)" : ""}`;

  fillTable("nodes", snapshot.nodes, [
    [(n) => shortNode(n.node)],
    [(n) => `${n.hostname} · ${n.pid}`],
    [(n) => duration(n.uptimeSeconds)],
    [(n) => n.redis, (n) => (n.redis === "down" ? "down" : n.redis === "up" ? "up" : "")],
    [(n) => `${n.loop.lagMs} / ${n.loop.maxLagMs} ms`, "num"],
    [(n) => n.loop.pendingTasks, "num"],
    [(n) => n.connections.websocket, "num"],
    [(n) => n.connections.polling, "num"],
    [(n) => n.connections.sse, "num"],
    [(n) => n.roomCount, "num"],
    [(n) => n.rates.deliveries, "num"],
    [(n) => n.rates.eventsReceived, "num"],
    [(n) => n.counters.rateLimited, "num"],
    [(n) => n.counters.slowConsumers, "num"],
    [(n) => n.webhooks.queued, "num"],
    [(n) => n.webhooks.dropped, "num"],
  ]);
  $("nodes").querySelectorAll("tbody tr").forEach((tr, i) => { tr.dataset.node = snapshot.nodes[i].node; });

  fillTable("rooms", snapshot.rooms, [
    [(r) => r.room], [(r) => r.members, "num"], [(r) => r.sse, "num"], [(r) => r.presence, "num"], [(r) => r.historyHead],
  ]);
  fillTable("sse-rooms", snapshot.sseRooms, [[(r) => r.room], [(r) => r.streams, "num"]]);

  const sum = (get) => snapshot.nodes.reduce((total, n) => total + get(n), 0);
  $("rate-limited").textContent = text(sum((n) => n.counters.rateLimited));
  $("rate-limited-rate").textContent = text(snapshot.totals.perSecond.rateLimited);
  $("slow-consumers").textContent = text(sum((n) => n.counters.slowConsumers));
  $("volatile-dropped").textContent = text(sum((n) => n.counters.volatileDropped));
  $("webhook-endpoints").textContent = text(sum((n) => n.webhooks.endpoints));
  $("webhook-queued").textContent = text(sum((n) => n.webhooks.queued));
  $("webhook-delivered").textContent = text(sum((n) => n.webhooks.delivered));
  $("webhook-dropped").textContent = text(sum((n) => n.webhooks.dropped));
  $("webhook-failed").textContent = text(sum((n) => n.webhooks.failed));
  $("webhook-retried").textContent = text(sum((n) => n.webhooks.retried));

  const connections = {}, deliveries = {};
  if (snapshot.nodes.length > 1) {
    connections.all = snapshot.totals.connections;
    deliveries.all = snapshot.totals.perSecond.deliveries;
  }
  for (const n of snapshot.nodes) {
    connections[shortNode(n.node)] = n.connections.websocket + n.connections.polling + n.connections.sse;
    deliveries[shortNode(n.node)] = n.rates.deliveries;
  }
  record(state.connections, snapshot.time, connections);
  record(state.deliveries, snapshot.time, deliveries);
  $("connections-now").textContent = text(snapshot.totals.connections);
  $("deliveries-now").textContent = text(snapshot.totals.perSecond.deliveries);
  draw($("connections-chart"), state.connections, snapshot.totals.connections);
  draw($("deliveries-chart"), state.deliveries, snapshot.totals.perSecond.deliveries);
}

function follow() {
  const source = new EventSource("stream");
  source.addEventListener("open", () => {
    $("status").textContent = "live";
    $("status").className = "status live";
  });
  source.addEventListener("error", () => {
    $("status").textContent = "reconnecting";
    $("status").className = "status down";
  });
  source.addEventListener("snapshot", (event) => render(JSON.parse(event.data)));
}

const serverUrl = window.location.origin;
$("server-url").textContent = serverUrl;
$("copy-url").addEventListener("click", () => navigator.clipboard?.writeText(serverUrl));
follow();
