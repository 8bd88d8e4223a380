// Provisioning log at scale: seeds one team's provisioning log with 1,000,000 entries on an
// in-memory embedded store (one INSERT … SELECT generate_series, spread over the last 30 days,
// about 6 % client errors and 1 % server errors), then times, in process, the queries the
// Provisioning page runs: the log's first page, the errors-only filter, the 7-day activity chart
// aggregation and the health summary. Each figure is the median of several runs after a warm-up.
// Reported, not asserted.
//
//   npx tsx scripts/bench/provisioning-log.ts   (prints one JSON object; BENCH_LOG_ROWS to change the size)
//   run({ rows })                               (from another script)
import { pathToFileURL } from "node:url";

export type ProvisioningLogBenchOptions = { rows?: number; runs?: number };

const DAY_MS = 24 * 60 * 60 * 1000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function time(runs: number, query: () => Promise<unknown>) {
  for (let i = 0; i < 2; i++) await query(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await query();
    times.push(performance.now() - started);
  }
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { medianMs: round(median(times)), minMs: round(Math.min(...times)), maxMs: round(Math.max(...times)), runs };
}

export async function run(opts: ProvisioningLogBenchOptions = {}): Promise<Record<string, unknown>> {
  const rows = opts.rows ?? 1_000_000;
  const runs = opts.runs ?? 9;
  const { closeStore, getDb, Prisma, setStore } = await import("../../lib/db");
  const { openStore } = await import("../../lib/db/store");
  const { createTeam } = await import("../../lib/teams/create-team");
  const { listScimRequestLog } = await import("../../lib/provisioning/list-request-log");
  const { getProvisioningActivity } = await import("../../lib/provisioning/activity");
  const { getProvisioningHealth } = await import("../../lib/provisioning/health");
  setStore(await openStore({ kind: "memory" }));
  try {
    const { teamId } = await createTeam({ teamName: "Bench Log", adminName: "Bench Admin", email: "bench-admin@log.example", password: "Sturdy-Passw0rd" });
    const db = await getDb();
    const now = new Date();
    const span = 30 * DAY_MS;
    const started = performance.now();
    // Newest first in i: entry i is i * span / rows before now. Status: 1 in 100 a 500, 6 in 100 a
    // 404 or 409, the rest 200; one in four about one of 5,000 users.
    await db.$executeRaw(Prisma.sql`
      INSERT INTO "ScimRequestLog" ("id", "teamId", "createdAt", "method", "path", "operation", "targetId", "status", "scimType", "detail", "durationMs")
      SELECT md5('bench-log-' || i), ${teamId},
             ${now}::timestamp - (i * ${span / rows}::float8) * interval '1 millisecond',
             CASE WHEN i % 4 = 0 THEN 'PATCH' ELSE 'GET' END,
             CASE WHEN i % 4 = 0 THEN '/Users/' || md5('bench-user-' || (i % 5000)) ELSE '/Users?filter=userName+eq+%22u' || i || '%22' END,
             CASE WHEN i % 4 = 0 THEN 'Update user' ELSE 'Find users' END,
             CASE WHEN i % 4 = 0 THEN md5('bench-user-' || (i % 5000)) END,
             CASE WHEN i % 100 = 0 THEN 500 WHEN i % 100 < 4 THEN 404 WHEN i % 100 < 7 THEN 409 ELSE 200 END,
             CASE WHEN i % 100 BETWEEN 4 AND 6 THEN 'uniqueness' END,
             CASE WHEN i % 100 BETWEEN 1 AND 6 THEN 'Bench error' END,
             (i % 40) + 1
      FROM generate_series(1, ${rows}) AS i`);
    await db.$executeRawUnsafe(`ANALYZE "ScimRequestLog"`);
    const seedMs = Math.round(performance.now() - started);

    const firstPage = await time(runs, () => listScimRequestLog(teamId, { now }));
    const errorsOnly = await time(runs, () => listScimRequestLog(teamId, { filter: { outcome: "errors" }, now }));
    const activityChart = await time(runs, () => getProvisioningActivity(teamId, now));
    const healthSummary = await time(runs, () => getProvisioningHealth(teamId, now));
    const activity = await getProvisioningActivity(teamId, now);
    const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`
      EXPLAIN SELECT date_trunc('hour', "createdAt"), count(*) FROM "ScimRequestLog"
      WHERE "teamId" = ${teamId} AND "createdAt" >= ${new Date(now.getTime() - 7 * DAY_MS)} AND "createdAt" <= ${now} GROUP BY 1`);
    return {
      scenario: "provisioning log",
      store: "embedded (in memory)",
      rows,
      seedMs,
      rowsInChartWindow: activity.totals.requests,
      firstPage,
      errorsOnly,
      activityChart,
      healthSummary,
      activityChartPlan: plan.map((line) => line["QUERY PLAN"]).join("\n"),
    };
  } finally {
    await closeStore();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ rows: process.env.BENCH_LOG_ROWS ? Number(process.env.BENCH_LOG_ROWS) : undefined });
  console.log(JSON.stringify(result, null, 2));
}
