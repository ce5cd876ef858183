// Prints the package's size as a browser gets it: bundled, minified and gzipped, socket.io-client left out.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const result = await build({
  entryPoints: [new URL("../src/index.js", import.meta.url).pathname],
  bundle: true, minify: true, format: "esm", platform: "browser", write: false,
  external: ["socket.io-client"],
});
const code = result.outputFiles[0].contents;
console.log(JSON.stringify({ minified: code.length, gzipped: gzipSync(code, { level: 9 }).length }));
