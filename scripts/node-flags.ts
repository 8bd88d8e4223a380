// Node.js flags for the console's server process (`npm start` and the HTTP benchmarks).
//
// --wasm-lazy-compilation: V8 compiles each function of the embedded PostgreSQL (PGlite's
// WebAssembly) on its first call instead of all of them at start-up. The server only ever calls a
// fraction of PostgreSQL, so the machine code for the rest is never built or kept: about 40-60 MiB
// less resident memory, and no measurable cost once the first requests have run (docs/performance.md).
export const SERVER_NODE_FLAGS = ["--wasm-lazy-compilation"];
