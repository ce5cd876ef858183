// The server API's OpenAPI 3.1 document: valid by a real OpenAPI validator, and every documented
// operation answers as documented (each answer validated against the document's schema with Ajv).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { io } from "socket.io-client";

const SERVER = process.env.SWITCHBOARD_URL;
const SECRET = process.env.SWITCHBOARD_JWT_SECRET;
const API_KEY = process.env.SWITCHBOARD_API_KEY;
const opened = [];

after(() => {
  for (const socket of opened) socket.disconnect();
});

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
function token(sub) {
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64({ sub, name: sub.toUpperCase(), exp: Math.floor(Date.now() / 1000) + 300 });
  const sig = crypto.createHmac("sha256", SECRET).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

function connect(user) {
  const socket = io(SERVER, { forceNew: true, transports: ["websocket"], reconnection: false, auth: { token: token(user) } });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function call(path, { method = "POST", body = {}, headers = { "x-api-key": API_KEY } } = {}) {
  const init = { method, headers: { "content-type": "application/json", ...headers } };
  if (method !== "GET") init.body = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(SERVER + path, init);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

async function loadDocument() {
  const response = await fetch(SERVER + "/api/v1/openapi.json");
  assert.equal(response.status, 200);
  return response.json();
}

test("the document is valid OpenAPI 3.1", async () => {
  const doc = await loadDocument();
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.equal(validator.version, "3.1");
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
});

test("every documented operation answers as documented, and every operation is documented", async () => {
  const doc = await loadDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(doc, "openapi.json");
  const schemaOf = (path, status) => {
    const response = doc.paths[path].post.responses[String(status)];
    assert.ok(response, `${path} documents status ${status}`);
    const ref = response.content["application/json"].schema.$ref;
    return ajv.getSchema("openapi.json" + ref);
  };
  const expectDocumented = (path, { status, json }, expected) => {
    assert.equal(status, expected, `${path}: ${JSON.stringify(json)}`);
    const validate = schemaOf(path, status);
    assert.ok(validate(json), `${path} ${status}: ${JSON.stringify(json)}\n${JSON.stringify(validate.errors, null, 2)}`);
  };

  const ada = await connect("ada");
  const bye = await connect("bye");
  assert.equal((await ada.emitWithAck("room:join", { room: "lobby" })).ok, true);
  const news = new Promise((resolve) => ada.once("news", (...args) => resolve(args)));

  const samples = {
    publish: { room: "lobby", event: "news", data: { n: 1 }, id: "doc-1" },
    broadcast: { rooms: ["lobby", "other"], event: "tick", data: 1 },
    batch: { commands: [
      { operation: "publish", params: { room: "lobby", event: "tick", data: 2 } },
      { operation: "publish", params: { room: "lobby", event: "disconnect" } },
      { operation: "history", params: { room: "lobby" } },
    ] },
    disconnect: { socket: bye.id, reason: "documented" },
    join: { user: "ada", room: "team" },
    leave: { user: "ada", room: "team" },
    presence: { room: "lobby" },
    presence_stats: { room: "lobby" },
    history: { room: "lobby", limit: 10 },
    history_remove: { room: "other" },
    rooms: { pattern: "*" },
    info: {},
  };
  const documented = Object.keys(doc.paths).filter((path) => path.startsWith("/api/v1/server/"))
    .map((path) => path.slice("/api/v1/server/".length));
  assert.deepEqual([...documented].sort(), Object.keys(samples).sort());

  for (const operation of documented) {
    const path = `/api/v1/server/${operation}`;
    expectDocumented(path, await call(path, { body: samples[operation] }), 200);
    expectDocumented(path, await call(path, { body: "{ not json" }), 400);
    expectDocumented(path, await call(path, { headers: {} }), 401);
    expectDocumented(path, await call(path, { headers: { authorization: "Bearer " + token("ada") } }), 401);
    expectDocumented(path, await call(path, { method: "GET" }), 405);
  }
  expectDocumented("/api/v1/server/publish", await call("/api/v1/server/publish", { body: { room: "lobby", event: "x", data: "y".repeat(600 * 1024) } }), 413);
  expectDocumented("/api/v1/server/publish", await call("/api/v1/server/publish", { body: { room: "lobby", event: "presence:join" } }), 400);
  expectDocumented("/api/v1/server/publish", await call("/api/v1/server/publish", { body: { room: "lobby", event: "x", id: "doc-1" } }), 200);

  const unknown = await call("/api/v1/server/no_such_thing");
  expectDocumented("/api/v1/server/info", unknown, 404);
  assert.equal(unknown.json.error.code, "UNKNOWN_OPERATION");
  const listed = unknown.json.error.message.split("the operations are ")[1].split(", ");
  assert.deepEqual([...listed].sort(), [...documented].sort(), "the server's operations are the documented ones");

  const [data, meta] = await news;
  assert.deepEqual(data, { n: 1 });
  assert.equal(meta.room, "lobby");
  assert.equal(meta.id, "doc-1");
});
