// Stands in for the node-fetch package in Lambda bundles (esbuild alias, see lib/bundling.ts).
// vega-loader's Node build calls require('node-fetch') for its HTTP loader; node-fetch v2 with
// whatwg-url and tr46 is ~300 KB of minified code, and Node.js 18+ has fetch built in. Our charts
// never load anything over HTTP (render.ts refuses every load), so this is only a fallback anyway.
export = globalThis.fetch;
