// The bundle the server serves is committed (so that the jar needs no Node.js): it must be what
// the sources build, byte for byte.
import { it } from "node:test";
import assert from "node:assert/strict";
import { stale, OUT } from "../build.mjs";

it("the committed demo bundle matches its sources", async () => {
  assert.deepEqual(await stale(), [], `rebuild with \`npm run build\` in clients/demo and commit ${OUT}`);
});
