// The hand-written declarations compile against socket.io-client's and describe the real usage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

test("index.d.ts type-checks a typical program under strict TypeScript", () => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const config = fileURLToPath(new URL("../types/tsconfig.json", import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, "-p", config], { encoding: "utf8" });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});
