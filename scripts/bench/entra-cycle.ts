// End-to-end Entra cycle: a production server (`next start`, built first if `.next` is missing) on a
// fresh embedded store in a temporary directory, a team and a provisioning token made through the
// ops CLI, then the provisioning emulator's initial cycle and an incremental cycle touching 10 % of
// the users, over HTTP. Reports throughput, latency percentiles, the server's memory, and how long
// the same requests would take at Entra's documented rate (about 25 requests/s per tenant, from
// Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint").
//
//   npx tsx scripts/bench/entra-cycle.ts --users 100000 [--groups 100] [--members-per-group 100]
//   run({ users, groups, membersPerGroup })            (from another script)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { simulateProvisioning } from "../../lib/entra/provisioning/simulate";

const root = path.resolve(import.meta.dirname, "..", "..");
const ENTRA_REQUESTS_PER_SECOND = 25;

export type EntraCycleOptions = { users?: number; groups?: number; membersPerGroup?: number };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function ensureBuild() {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  const built = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: root, env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "inherit", "inherit"] });
  if (built.status !== 0) throw new Error("next build failed");
}

function cli<T>(env: Record<string, string>, args: string[]): T {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`cli ${args[0]} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Resident set size of a process in MiB, from /proc/<pid>/status (Linux). */
function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

export async function run(opts: EntraCycleOptions = {}): Promise<Record<string, unknown>> {
  const users = opts.users ?? 10_000;
  const groups = opts.groups ?? 100;
  const membersPerGroup = opts.membersPerGroup ?? 100;
  ensureBuild();
  const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-bench-entra-"));
  try {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const env: Record<string, string> = { NODE_ENV: "production", STOREGATE_DATA_DIR: dataDir, APP_URL: url, PORT: String(port), DATABASE_URL: "" };
    // The embedded store allows one process per directory: seed through the CLI before the server opens it.
    const team = cli<{ teamId: string }>(env, ["team:create", "--name", "Bench Entra", "--admin-email", "bench@entra.example", "--admin-password", "Sturdy-Passw0rd", "--entra-tenant", "0d1e2c3d-0002-4a5b-8c6d-7e8f90a1b2c3"]);
    const issued = cli<{ token: string; tenantUrl: string }>(env, ["scim-token:issue", "--team", team.teamId]);

    const child = spawn(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      for (let i = 0; ; i++) {
        if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
        try {
          if ((await fetch(`${url}/api/health`)).ok) break;
        } catch {
          // not listening yet
        }
        if (i > 1200) throw new Error(`server did not become healthy:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const rssStartMiB = rssMiB(child.pid!);
      let rssPeakMiB = rssStartMiB ?? 0;
      const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, rssMiB(child.pid!) ?? 0)), 250);
      const phaseStarted: Record<string, number> = {};
      const phaseMs: Record<string, number> = {};
      const started = performance.now();
      const report = await simulateProvisioning({
        tenantUrl: issued.tenantUrl,
        token: issued.token,
        users,
        groups,
        membersPerGroup,
        seed: "bench",
        cycles: ["initial", "incremental"],
        onProgress: ({ phase, done, total }) => {
          phaseStarted[phase] ??= performance.now();
          if (done === total) phaseMs[phase] = Math.round(performance.now() - phaseStarted[phase]);
        },
      });
      const totalMs = Math.round(performance.now() - started);
      clearInterval(sampler);
      const rssEndMiB = rssMiB(child.pid!);
      rssPeakMiB = Math.max(rssPeakMiB, rssEndMiB ?? 0);
      return {
        scenario: "end-to-end Entra cycle",
        store: "embedded",
        users,
        groups,
        membersPerGroup,
        concurrency: 5,
        ok: report.ok,
        failureCount: report.failureCount,
        failures: report.failures.slice(0, 3),
        totalRequests: report.requests,
        throttled: report.throttled,
        totalMs,
        requestsPerSecond: report.requestsPerSecond,
        latencyMs: report.latencyMs,
        phaseMs,
        operations: report.operations,
        serverRssMiB: { start: rssStartMiB, end: rssEndMiB, peak: rssPeakMiB },
        atEntraRate: { requestsPerSecond: ENTRA_REQUESTS_PER_SECOND, seconds: Math.round(report.requests / ENTRA_REQUESTS_PER_SECOND) },
      };
    } finally {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { users: { type: "string" }, groups: { type: "string" }, "members-per-group": { type: "string" } }, strict: true });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const result = await run({ users: num(values.users), groups: num(values.groups), membersPerGroup: num(values["members-per-group"]) });
  console.log(JSON.stringify(result, null, 2));
  if (!result.ok) process.exitCode = 1;
}
