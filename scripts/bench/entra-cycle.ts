// End-to-end Entra cycle: the production server (scripts/serve.mjs, built first if `.next` is missing) on a
// fresh embedded store in a temporary directory, a team and a provisioning token made through the
// ops CLI, then the provisioning emulator's initial cycle and an incremental cycle touching 10 % of
// the users, over HTTP. Reports throughput, latency percentiles, the server's memory, and how long
// the same requests would take at Entra's documented rate (about 25 requests/s per tenant, from
// Microsoft's "Tutorial: Develop and plan provisioning for a SCIM endpoint").
//
//   npx tsx scripts/bench/entra-cycle.ts --users 100000 [--groups 100] [--members-per-group 100]
//   run({ users, groups, membersPerGroup })            (from another script)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { simulateProvisioning } from "../../lib/entra/provisioning/simulate";
import { cli, ensureBuild, freePort, startServer } from "./server";

const ENTRA_REQUESTS_PER_SECOND = 25;

export type EntraCycleOptions = { users?: number; groups?: number; membersPerGroup?: number };

export async function run(opts: EntraCycleOptions = {}): Promise<Record<string, unknown>> {
  const users = opts.users ?? 10_000;
  const groups = opts.groups ?? 100;
  const membersPerGroup = opts.membersPerGroup ?? 100;
  ensureBuild();
  const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-bench-entra-"));
  try {
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const env: Record<string, string> = { STOREGATE_DATA_DIR: dataDir, APP_URL: url, PORT: String(port) };
    // The embedded store allows one process per directory: seed through the CLI before the server opens it.
    const team = cli<{ teamId: string }>(env, [
      "team:create",
      "--name",
      "Bench Entra",
      "--admin-email",
      "bench@entra.example",
      "--admin-password",
      "Sturdy-Passw0rd",
      "--entra-tenant",
      "0d1e2c3d-0002-4a5b-8c6d-7e8f90a1b2c3",
    ]);
    const issued = cli<{ token: string; tenantUrl: string }>(env, ["scim-token:issue", "--team", team.teamId]);

    const server = await startServer(env, port);
    try {
      const rssStartMiB = server.rssMiB();
      let rssPeakMiB = rssStartMiB ?? 0;
      const sampler = setInterval(() => (rssPeakMiB = Math.max(rssPeakMiB, server.rssMiB() ?? 0)), 250);
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
      const rssEndMiB = server.rssMiB();
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
        atEntraRate: {
          requestsPerSecond: ENTRA_REQUESTS_PER_SECOND,
          seconds: Math.round(report.requests / ENTRA_REQUESTS_PER_SECOND),
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { users: { type: "string" }, groups: { type: "string" }, "members-per-group": { type: "string" } },
    strict: true,
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const result = await run({
    users: num(values.users),
    groups: num(values.groups),
    membersPerGroup: num(values["members-per-group"]),
  });
  console.log(JSON.stringify(result, null, 2));
  if (!result.ok) process.exitCode = 1;
}
