// The console's production server (`npm start`, the test suites and the benchmarks all run it):
// Next.js serves the console, and the SCIM requests Entra's provisioning service sends go straight
// to the SCIM adapter (lib/http/scim-node.ts says why and which requests qualify). This is
// Next.js's documented custom-server setup ("Custom Server" in the Next.js docs).
//
//   node [flags] scripts/serve.mjs --port 3000 --hostname 127.0.0.1
//
// SIGTERM or SIGINT stops it gracefully: no new connections, the requests under way finish (for
// up to SHUTDOWN_GRACE_MS), the provisioning log's buffered entries are written, the store closes.
import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";

const SHUTDOWN_GRACE_MS = 10_000;

const { values } = parseArgs({
  options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? "localhost";
// Before Next.js (and React through it) is loaded: both pick their production code from it.
process.env.NODE_ENV = "production";
const { default: next } = await import("next");

const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

// Published by instrumentation.ts, which Next runs before it handles its first request. Until
// then (the first moments after start-up) every request goes through Next, which serves SCIM too.
/** @returns {import("../lib/http/server-hooks").ServerHooks | undefined} */
const hooks = () => globalThis[Symbol.for("storegate.server-hooks")];

let inFlight = 0;
let idle = () => {};
const server = createServer((request, response) => {
  inFlight++;
  response.once("close", () => {
    if (--inFlight === 0) idle();
  });
  const scim = hooks();
  const served = scim?.takesScim(request.method, request.url)
    ? scim.serveScim(request, response)
    : handle(request, response);
  served.catch((error) => {
    console.error("[serve] request failed", error);
    if (!response.headersSent) response.writeHead(500).end();
    else response.destroy();
  });
});
server.listen(port, hostname, () => {
  // One request of our own makes Next run instrumentation.ts now: the store opens (migrations
  // applied, or the process exits with the reason) at start-up rather than on a client's request.
  const self = ["0.0.0.0", "::", ""].includes(hostname)
    ? "127.0.0.1"
    : hostname.includes(":")
      ? `[${hostname}]`
      : hostname;
  fetch(`http://${self}:${port}/api/health/live`)
    .then(() => console.log(`Storegate Console ready on http://${hostname}:${port}`))
    .catch((error) => console.error("[serve] start-up request failed", error));
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`[serve] ${signal}: finishing the requests under way, then stopping`);
  server.close();
  server.closeIdleConnections();
  const finished = new Promise((resolve) => {
    idle = resolve;
    if (inFlight === 0) resolve();
  });
  const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([finished, grace]);
  server.closeAllConnections();
  try {
    await hooks()?.shutdown();
  } catch (error) {
    console.error("[serve] shutting down the store failed", error);
  }
  await app.close().catch(() => {});
  process.exit(0);
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void stop(signal));
