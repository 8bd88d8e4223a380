// `npm run bench`: every benchmark, each figure next to a baseline measured in the same run (the
// machine is shared and its speed varies; ratios travel, absolute figures do not). Prints a table
// and writes bench/results.json. Nothing here is asserted: targets are printed beside the figures.
// bench/results.json is merged: a run replaces the entries of the scenarios it ran (each stamped
// with its own measuredAt and load average) and keeps the others.
//
//   npm run bench                      in-process SCIM core, SCIM over HTTP (embedded store),
//                                      Members directory at 100,000, provisioning log at 1,000,000,
//                                      an end-to-end Entra cycle (10,000 users, 100 groups)
//   npm run bench -- --postgres        also: a real PostgreSQL with two console instances
//   npm run bench -- --only http,members   a subset
//   npm run bench -- --users 100000    the Entra cycle at full size
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const only = option("only")?.split(",");
const wanted = (name: string) => !only || only.includes(name);

type Scenario = { name: string; run: () => Promise<Record<string, unknown>> };
const scenarios: Scenario[] = [
  { name: "in-process", run: async () => (await import("./bench/in-process")).run() },
  { name: "http", run: async () => (await import("./bench/http")).run() },
  { name: "members", run: async () => (await import("./bench/members")).run() },
];
const optional = [
  { name: "provisioning-log", file: "./bench/provisioning-log" },
  { name: "entra-cycle", file: "./bench/entra-cycle" },
];
for (const { name, file } of optional) {
  scenarios.push({
    name,
    run: async () => {
      const bench = (await import(file)) as { run(opts?: Record<string, unknown>): Promise<Record<string, unknown>> };
      return bench.run(name === "entra-cycle" && option("users") ? { users: Number(option("users")) } : {});
    },
  });
}
if (args.includes("--postgres"))
  scenarios.push({ name: "http-postgres", run: async () => (await import("./bench/http")).run({ postgres: true }) });

const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};
const resultsFile = path.join(root, "bench", "results.json");
const previous = existsSync(resultsFile)
  ? (JSON.parse(readFileSync(resultsFile, "utf8")) as Record<string, unknown>)
  : {};
const results: Record<string, unknown> = {
  ...previous,
  at: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    platform: `${os.platform()} ${os.release()}`,
  },
  versions: {
    node: process.version,
    next: pkg.dependencies.next,
    prisma: pkg.dependencies["@prisma/client"],
    pglite: pkg.dependencies["@electric-sql/pglite"],
  },
};
for (const scenario of scenarios) {
  if (!wanted(scenario.name)) continue;
  console.error(`\n▶ ${scenario.name}`);
  try {
    const loadAverage = os.loadavg().map((x) => Math.round(x * 100) / 100);
    results[scenario.name] = {
      ...(await scenario.run()),
      measuredAt: new Date().toISOString(),
      loadAverageAtStart: loadAverage,
    };
  } catch (error) {
    results[scenario.name] = { error: error instanceof Error ? error.message.split("\n")[0] : String(error) };
    console.error(error);
  }
}

mkdirSync(path.join(root, "bench"), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(renderTable(results));
console.log("\nWritten to bench/results.json");

type Load = { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number };

function renderTable(r: Record<string, unknown>): string {
  const rows: [string, string, string][] = [];
  const get = (scenario: string) => r[scenario] as Record<string, unknown> | undefined;
  const load = (l: Load | undefined) =>
    l
      ? `${l.requestsPerSecond} req/s, p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms${l.errors ? `, ${l.errors} errors` : ""}`
      : "—";
  const inProcess = get("in-process");
  if (inProcess && !("error" in inProcess)) {
    const ms = inProcess.lookupMs as Record<string, number>;
    rows.push(["In-process lookup (dispatcher+store)", `${ms.dispatcherAndStore} ms`, "≤ 1 ms"]);
    rows.push(["In-process create (dispatcher+store)", `${inProcess.createMs as number} ms`, "≤ 1.5 ms"]);
    rows.push([
      "Route with authentication and log / core",
      `${(ms.routeWithLog! / ms.dispatcherAndStore!).toFixed(2)}×`,
      "—",
    ]);
  }
  const http = get("http");
  if (http && !("error" in http)) {
    rows.push(["HTTP GET /api/health/live (ceiling)", load(http.live as Load), "baseline"]);
    rows.push(["HTTP GET /api/health (one SELECT 1)", load(http.readiness as Load), "—"]);
    rows.push([
      "HTTP GET /Users?filter=userName eq …",
      load(http.lookup as Load),
      `≥ 50 % of live: ${Math.round((http.lookupVsLive as number) * 100)} %; p99 < 100 ms`,
    ]);
    rows.push([
      "HTTP POST /Users (Entra-shaped)",
      load(http.create as Load),
      `${Math.round((http.createVsLive as number) * 100)} % of live; p99 < 100 ms`,
    ]);
    rows.push([
      "Server RSS after the load",
      `${(http.serverRssMiB as { afterLoad: number }).afterLoad} MiB`,
      "< 450 MiB",
    ]);
  }
  const pgRun = get("http-postgres");
  if (pgRun && !("error" in pgRun)) {
    rows.push(["PostgreSQL, lookup, one instance", load(pgRun.lookupOneInstance as Load), "baseline"]);
    rows.push([
      "PostgreSQL, lookup, two instances",
      load(pgRun.lookupTwoInstances as Load),
      `${pgRun.scaleOut as number}× (target ≥ 1.6×)`,
    ]);
    type Cpu = { serverCores: number[]; postgresCores: number; loadGeneratorCores: number; machineBusyCores: number };
    const cpu = (run: unknown) => {
      const c = (run as { cpu?: Cpu }).cpu;
      return c
        ? `servers ${c.serverCores.filter((x) => x > 0).join(" + ")}, PostgreSQL ${c.postgresCores}, load generator ${c.loadGeneratorCores}; machine ${c.machineBusyCores} busy`
        : "—";
    };
    rows.push(["  CPU (cores), one instance", cpu(pgRun.lookupOneInstance), ""]);
    rows.push(["  CPU (cores), two instances", cpu(pgRun.lookupTwoInstances), ""]);
    rows.push([
      "Revoked token refused after",
      `${(pgRun.revokedTokenRefusedAfterMs as number[]).join(" ms, ")} ms`,
      "< 1,000 ms on every instance",
    ]);
  }
  type Ttfb = { medianMs: number; lastByteMedianMs: number };
  const members = get("members");
  if (members && !("error" in members)) {
    rows.push(["Members page at 100,000, TTFB", `${(members.firstPage as Ttfb).medianMs} ms`, "< 300 ms"]);
    rows.push(["Members search by UPN prefix, TTFB", `${(members.upnSearch as Ttfb).medianMs} ms`, "< 300 ms"]);
  }
  const log = get("provisioning-log");
  if (log && !("error" in log)) {
    rows.push([
      "Provisioning page at 1,000,000 entries, TTFB",
      `${(log.provisioningPage as Ttfb).medianMs} ms`,
      "< 300 ms",
    ]);
    rows.push(["Provisioning log, errors only, TTFB", `${(log.errorsOnly as Ttfb).medianMs} ms`, "< 300 ms"]);
    if (log.oneTarget)
      rows.push(["Provisioning log, one member's entries, TTFB", `${(log.oneTarget as Ttfb).medianMs} ms`, "< 300 ms"]);
    rows.push(["CSV export, errors only, to the last byte", `${(log.csvErrorsOnly as Ttfb).lastByteMedianMs} ms`, "—"]);
  }
  const cycle = get("entra-cycle");
  if (cycle && !("error" in cycle) && cycle.latencyMs) {
    const latency = cycle.latencyMs as { p50: number; p99: number };
    const atEntraRate = cycle.atEntraRate as { seconds: number };
    rows.push([
      `Entra cycle, ${cycle.users as number} users, ${cycle.groups as number} groups`,
      `${cycle.totalRequests as number} requests, ${cycle.requestsPerSecond as number} req/s at ${cycle.concurrency as number} in flight, p99 ${latency.p99} ms, ${cycle.failureCount as number} failed`,
      `${atEntraRate.seconds} s at Entra's 25 req/s`,
    ]);
  }
  for (const name of ["members", "provisioning-log", "entra-cycle"]) {
    if (
      (name === "members" && members && !("error" in members)) ||
      (name === "provisioning-log" && log && !("error" in log)) ||
      (name === "entra-cycle" && cycle && !("error" in cycle) && cycle.latencyMs)
    )
      continue;
    const figures = get(name);
    if (figures) rows.push([name, JSON.stringify(figures).slice(0, 160), "see docs/performance.md"]);
  }
  const width = [Math.max(...rows.map((x) => x[0].length)), Math.max(...rows.map((x) => x[1].length))];
  return ["", ...rows.map(([a, b, c]) => `${a.padEnd(width[0]!)}  ${b.padEnd(width[1]!)}  ${c}`)].join("\n");
}
