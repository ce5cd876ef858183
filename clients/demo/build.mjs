// Bundles the demo app into the server's resources, where the jar serves it at /:
// `node build.mjs` writes index.html and app.js; `node build.mjs --check` only compares them with a
// fresh build and fails when they differ (the files are committed so the server needs no Node.js).
import { build } from "esbuild";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
/** Where the jar's demo files live. */
export const OUT = join(here, "../../switchboard-server/src/main/resources/dev/switchboard/server/demo");

/**
 * socket.io-client and yjs come from this folder's node_modules, also for @switchboard/client (whose
 * own node_modules may hold another copy): one copy of each in the bundle, the same bytes on every machine.
 */
const fromHere = {
  name: "packages-from-here",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^(socket\.io-client|yjs)$/ }, (args) =>
      args.resolveDir === here ? undefined : esbuild.resolve(args.path, { kind: args.kind, resolveDir: here }));
    esbuild.onResolve({ filter: /^@switchboard\/client$/ }, () => ({ path: join(here, "../js/src/index.js") }));
  },
};

/** The built files, by name: {"index.html": bytes, "app.js": bytes}. */
export async function bundle() {
  const result = await build({
    entryPoints: [join(here, "src/main.js")],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2022",
    platform: "browser",
    write: false,
    plugins: [fromHere],
  });
  return {
    "index.html": readFileSync(join(here, "src/index.html")),
    "app.js": Buffer.from(result.outputFiles[0].contents),
  };
}

/** The names of the committed files that differ from a fresh build. */
export async function stale() {
  const built = await bundle();
  return Object.keys(built).filter((name) => {
    const path = join(OUT, name);
    return !existsSync(path) || !readFileSync(path).equals(built[name]);
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--check")) {
    const differ = await stale();
    if (differ.length > 0) {
      console.error(`demo: ${differ.join(", ")} in ${OUT} differ from the sources: run \`npm run build\` in clients/demo and commit them`);
      process.exit(1);
    }
    console.log("demo: the committed bundle matches the sources");
  } else {
    const built = await bundle();
    for (const [name, bytes] of Object.entries(built)) writeFileSync(join(OUT, name), bytes);
    console.log(`demo: wrote ${Object.keys(built).join(", ")} to ${OUT}`);
  }
}
