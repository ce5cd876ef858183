// Prints the package's size as a browser gets it: bundled, minified and gzipped, socket.io-client
// (and React) left out. "core" is the main entry; "react" the hooks alone, on top of core;
// "react+core" what an app using the hooks loads.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const src = (name) => new URL(`../src/${name}`, import.meta.url).pathname;
const hooksAlone = { name: "core-external", setup(b) { b.onResolve({ filter: /^\.\/index\.js$/ }, (a) => ({ path: a.path, external: true })); } };

async function measure(entry, plugins = []) {
  const result = await build({
    entryPoints: [src(entry)], bundle: true, minify: true, format: "esm", platform: "browser", write: false,
    external: ["socket.io-client", "react"], plugins,
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
}

console.log(JSON.stringify({
  core: await measure("index.js"),
  react: await measure("react.js", [hooksAlone]),
  "react+core": await measure("react.js"),
}));
