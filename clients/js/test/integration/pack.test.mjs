// The package as a user gets it: `npm pack`, installed from the tarball into a new project (from
// npm's cache when it can), imported by name, type-checked by name, and used against the server
// (SWITCHBOARD_URL, JWT_SECRET).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { token } from "./jwt.mjs";

const PACKAGE = fileURLToPath(new URL("../../", import.meta.url));
const npm = (args, cwd) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });
let project;
let files;

before(() => {
  project = mkdtempSync(join(tmpdir(), "switchboard-client-pack-"));
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", project], PACKAGE));
  files = packed.files.map((f) => f.path).sort();
  const { devDependencies } = JSON.parse(readFileSync(join(PACKAGE, "package.json"), "utf8"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  npm(["install", "--prefer-offline", join(project, packed.filename), `socket.io-client@${devDependencies["socket.io-client"]}`], project);
});
after(() => rmSync(project, { recursive: true, force: true }));

test("the tarball holds the sources, their declarations and the README, nothing else", () => {
  assert.deepEqual(files, ["README.md", "package.json", "src/call.js", "src/errors.js", "src/index.d.ts", "src/index.js",
    "src/queue.js", "src/react.d.ts", "src/react.js", "src/room.js", "src/stores.js", "src/stream.js"]);
});

test("an app imports it by name and talks to the server through it", () => {
  writeFileSync(join(project, "app.mjs"), `
    import { connect, stream, call, SwitchboardError } from "@switchboard/client";
    const socket = connect(process.env.URL, { token: process.env.TOKEN, transports: ["websocket"] });
    const room = socket.room("packed");
    await room.join();
    const answer = await room.publish("chat", { text: "from the tarball" });
    console.log(JSON.stringify({ ok: answer.ok, user: socket.userId, members: room.members.map((m) => m.id),
      exports: [typeof stream, typeof call, typeof SwitchboardError] }));
    socket.disconnect();`);
  const out = execFileSync(process.execPath, ["app.mjs"], { cwd: project, encoding: "utf8",
    env: { ...process.env, URL: process.env.SWITCHBOARD_URL, TOKEN: token("packed-user") }, timeout: 20_000 });
  assert.deepEqual(JSON.parse(out), { ok: true, user: "packed-user", members: ["packed-user"], exports: ["function", "function", "function"] });
});

test("the React entry needs React, an optional peer dependency: without it, importing it says so", () => {
  writeFileSync(join(project, "hooks.mjs"), `import("@switchboard/client/react").then(() => console.log("loaded"), (e) => console.log(e.code));`);
  assert.equal(execFileSync(process.execPath, ["hooks.mjs"], { cwd: project, encoding: "utf8" }).trim(), "ERR_MODULE_NOT_FOUND");
});

test("TypeScript finds the declarations of both entries through the package's exports", () => {
  writeFileSync(join(project, "app.ts"), `
    import { connect, type SwitchboardSocket } from "@switchboard/client";
    import type { useSocket } from "@switchboard/client/react";
    const socket: SwitchboardSocket = connect("http://localhost:3000", { token: "jwt" });
    type Hook = typeof useSocket;
    export const pending: number = socket.pending;
    export type { Hook };`);
  writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: {
    strict: true, noEmit: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"],
    skipLibCheck: true, types: [] }, files: ["app.ts"] }));
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", project], { cwd: project, encoding: "utf8" });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});
