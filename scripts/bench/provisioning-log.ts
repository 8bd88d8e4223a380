// Provisioning log at scale: seeds one team's provisioning log with 1,000,000 entries on the
// embedded store in a temporary data directory (one INSERT … SELECT generate_series, spread over the
// last 30 days, about 6 % client errors and 1 % server errors), serves the production build on it
// (`next build` must have run), signs in as the team's Administrator and reports the time to first
// byte of the Provisioning page (health, the 7-day activity chart and the log's first page), of the
// same page with the log filtered to errors only and to one member's entries, and of the CSV export
// of the errors (and the time to its last byte): the median of several requests after a warm-up.
// Target: < 300 ms each.
//
// Before the server starts, the queries behind the page are also timed in process (no HTTP), with
// their plans, to say where the time goes. Reported, not asserted. The temporary directory is
// removed at the end, also when a step fails.
//
//   npx tsx scripts/bench/provisioning-log.ts   (prints one JSON object; BENCH_LOG_ROWS to change the size)
//   run({ rows, requests, port })               (from another script)
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { freePort, measureTtfb, median, signIn, startServer } from "./server";

export type ProvisioningLogBenchOptions = { rows?: number; runs?: number; requests?: number; port?: number };

const DAY_MS = 24 * 60 * 60 * 1000;
const PASSWORD = "Sturdy-Passw0rd";
const ADMIN_EMAIL = "bench-admin@log.example";

const round = (ms: number) => Math.round(ms * 10) / 10;
/** One of the 5,000 users the seeded updates are about (targetId md5('bench-user-' || n)): 50 entries in 1,000,000. */
const TARGET = createHash("md5").update("bench-user-4").digest("hex");

async function time(runs: number, query: () => Promise<unknown>) {
  for (let i = 0; i < 2; i++) await query(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await query();
    times.push(performance.now() - started);
  }
  return { medianMs: round(median(times)), minMs: round(Math.min(...times)), maxMs: round(Math.max(...times)), runs };
}

/**
 * Seeds the data directory in this process, times the page's queries in process, then closes the
 * store: PGlite allows one process per directory, and the server is the next one.
 */
async function seedAndTimeQueries(dataDir: string, rows: number, runs: number) {
  const { closeStore, getDb, Prisma, setStore } = await import("../../lib/db");
  const { openStore } = await import("../../lib/db/store");
  const { createTeam } = await import("../../lib/teams/create-team");
  const { listScimRequestLog } = await import("../../lib/provisioning/list-request-log");
  const { activitySql, getProvisioningActivity } = await import("../../lib/provisioning/activity");
  const { getProvisioningHealth } = await import("../../lib/provisioning/health");
  // The store of this directory, not the one the environment names (another bench of the same run
  // may have read the environment first).
  setStore(await openStore({ kind: "pglite", dataDir, pgliteDir: path.join(dataDir, "pglite") }));
  try {
    const { teamId } = await createTeam({
      teamName: "Bench Log",
      adminName: "Bench Admin",
      email: ADMIN_EMAIL,
      password: PASSWORD,
    });
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
    // What the console's own log writer leaves behind (lib/provisioning/request-log.ts vacuums the
    // log every 5,000 entries on the embedded store, which has no autovacuum): pages marked
    // all-visible, so that counts read the indexes only. One statement wrote this log, so one VACUUM.
    await db.$executeRawUnsafe(`VACUUM ANALYZE "ScimRequestLog"`);
    const seedMs = Math.round(performance.now() - started);

    const queries = {
      logFirstPage: await time(runs, () => listScimRequestLog(teamId, { now })),
      logErrorsOnly: await time(runs, () => listScimRequestLog(teamId, { filter: { outcome: "errors" }, now })),
      logOneTarget: await time(runs, () => listScimRequestLog(teamId, { filter: { target: TARGET }, now })),
      activityChart: await time(runs, () => getProvisioningActivity(teamId, now)),
      healthSummary: await time(runs, () => getProvisioningHealth(teamId, now)),
    };
    const activity = await getProvisioningActivity(teamId, now);
    const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(
      Prisma.sql`EXPLAIN ANALYZE ${activitySql(teamId, now)}`,
    );
    return {
      seedMs,
      rowsInChartWindow: activity.totals.requests,
      queries,
      activityChartPlan: plan.map((line) => line["QUERY PLAN"]).join("\n"),
    };
  } finally {
    await closeStore();
  }
}

export async function run(opts: ProvisioningLogBenchOptions = {}): Promise<Record<string, unknown>> {
  const rows = opts.rows ?? 1_000_000;
  const runs = opts.runs ?? 9;
  const requests = opts.requests ?? 15;
  const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-bench-log-"));
  try {
    const { seedMs, rowsInChartWindow, queries, activityChartPlan } = await seedAndTimeQueries(dataDir, rows, runs);
    const server = await startServer({ STOREGATE_DATA_DIR: dataDir }, opts.port ?? (await freePort()));
    try {
      const cookie = await signIn(server.url, ADMIN_EMAIL, PASSWORD);
      const page = `${server.url}/settings/team/provisioning`;
      // "busiest hour" is in the chart's summary only when the week's aggregation found requests.
      const provisioningPage = await measureTtfb(page, cookie, requests, "busiest hour");
      // The page's "Outcome: Errors only" filter (parseLogFilter); the newest error is a 404 "Bench error".
      const errorsOnly = await measureTtfb(`${page}?outcome=errors`, cookie, requests, "Bench error");
      // One member's history, as linked from their page (?target=<id>).
      const oneTarget = await measureTtfb(`${page}?target=${TARGET}`, cookie, requests, "Update user");
      // Its "Export CSV" link: the header line is sent before the first query, so the time to the
      // last byte is the figure that says what the export costs (every error of the 30 days, read
      // 1,000 at a time).
      const teamId = /\/api\/teams\/([^/]+)\/provisioning-log\?/.exec(
        await (await fetch(page, { headers: { cookie } })).text(),
      )?.[1];
      if (!teamId) throw new Error("no CSV export link on the Provisioning page");
      const csvErrorsOnly = await measureTtfb(
        `${server.url}/api/teams/${teamId}/provisioning-log?outcome=errors&format=csv`,
        cookie,
        3,
        "Bench error",
        1,
      );
      return {
        scenario: "provisioning log",
        store: "embedded",
        rows,
        seedMs,
        targetMs: 300,
        rowsInChartWindow,
        provisioningPage,
        errorsOnly,
        oneTarget,
        csvErrorsOnly,
        withinTarget: provisioningPage.medianMs < 300 && errorsOnly.medianMs < 300 && oneTarget.medianMs < 300,
        serverRssMiB: server.rssMiB(),
        inProcess: queries,
        activityChartPlan,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run({ rows: process.env.BENCH_LOG_ROWS ? Number(process.env.BENCH_LOG_ROWS) : undefined });
  console.log(JSON.stringify(result, null, 2));
}
