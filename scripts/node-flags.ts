import path from "node:path";

// How the console's server process is started, with its Node.js flags.
//
// --wasm-lazy-compilation: V8 compiles each function of the embedded PostgreSQL (PGlite's
// WebAssembly) on its first call instead of all of them at start-up. The server only ever calls a
// fraction of PostgreSQL, so the machine code for the rest is never built or kept: about 40-60 MiB
// less resident memory, and no measurable cost once the first requests have run (docs/performance.md).
//
// --max-old-space-size=256, --max-semi-space-size=8: V8 otherwise sizes the heap from the machine's
// memory (about 4 GiB here) and lets garbage accumulate far past what the server needs; with a
// limit it collects sooner. Measured under the HTTP benchmark: resident memory after the load 610 →
// 394 MiB with no loss of throughput (a semi-space of 2 MiB saved as much but cost a third of the
// throughput in minor collections). NODE_OPTIONS with its own heap limits takes precedence.
const HEAP_FLAGS = ["--max-old-space-size=256", "--max-semi-space-size=8"];

function heapFlags(nodeOptions = process.env.NODE_OPTIONS ?? ""): string[] {
  return /--max-(old|semi)-space-size/.test(nodeOptions) ? [] : HEAP_FLAGS;
}

export const SERVER_NODE_FLAGS = ["--wasm-lazy-compilation", ...heapFlags()];

/**
 * The console's server process: `node <flags> scripts/serve.mjs` on a port and an address, what
 * `npm start`, the integration and e2e suites and the benchmarks all run.
 */
export function serverArgs(port: number | string, hostname: string): string[] {
  return [...SERVER_NODE_FLAGS, SERVE_SCRIPT, "--port", String(port), "--hostname", hostname];
}

const SERVE_SCRIPT = path.join(import.meta.dirname, "serve.mjs");
