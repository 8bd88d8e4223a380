import { formatWhen } from "../format-dates";
import { getDb, Prisma } from "../db";

const HOUR_MS = 60 * 60 * 1000;
export const ACTIVITY_HOURS = 7 * 24;

export type ActivityHour = { hour: string; success: number; clientError: number; serverError: number };

export type ProvisioningActivity = {
  /**
   * One entry per hour, oldest first, ACTIVITY_HOURS of them ending with the current hour (UTC); hours without requests
   * are zeros.
   */
  hours: ActivityHour[];
  totals: { requests: number; success: number; clientError: number; serverError: number };
  /** The hour with the most requests (the latest of equals), or null without any. */
  busiest: { hour: string; requests: number } | null;
};

/** The first of the ACTIVITY_HOURS hours the chart shows at `now`, and the current (last) one, in ms. */
function activityWindow(now: Date): { from: number; currentHour: number } {
  const currentHour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  return { from: currentHour - (ACTIVITY_HOURS - 1) * HOUR_MS, currentHour };
}

/**
 * The chart's counts, one row per hour: for each of the ACTIVITY_HOURS hours, a range of the
 * (teamId, createdAt, status) index is read and counted by outcome, without reading the log's rows
 * where they are all-visible (an index-only scan). Nothing is sorted but the 168 result rows.
 * (Grouping the whole week by date_trunc('hour', …) made the database sort every entry of the week
 * first, on disk at a busy team's size; see docs/performance.md.)
 */
export function activitySql(teamId: string, now: Date): Prisma.Sql {
  const { from, currentHour } = activityWindow(now);
  // createdAt is a timestamp without time zone holding UTC, so these hours are UTC hours.
  return Prisma.sql`
    SELECT h."hour", c."success", c."clientError", c."serverError"
    FROM generate_series(${new Date(from)}::timestamp, ${new Date(currentHour)}::timestamp, interval '1 hour') AS h("hour")
    CROSS JOIN LATERAL (
      SELECT (count(*) FILTER (WHERE "status" < 400))::int AS "success",
             (count(*) FILTER (WHERE "status" >= 400 AND "status" < 500))::int AS "clientError",
             (count(*) FILTER (WHERE "status" >= 500))::int AS "serverError"
      FROM "ScimRequestLog"
      WHERE "teamId" = ${teamId} AND "createdAt" >= h."hour" AND "createdAt" < h."hour" + interval '1 hour' AND "createdAt" <= ${now}
    ) AS c
    ORDER BY 1`;
}

/**
 * Requests per hour over the last 7 days, by outcome: success (< 400), client error (4xx) and
 * server error (5xx). Counted in the database (activitySql), so the page receives 168 rows
 * whatever the log holds.
 */
export async function getProvisioningActivity(teamId: string, now: Date = new Date()): Promise<ProvisioningActivity> {
  const db = await getDb();
  const { from, currentHour } = activityWindow(now);
  const rows = await db.$queryRaw<{ hour: Date; success: number; clientError: number; serverError: number }[]>(
    activitySql(teamId, now),
  );
  const byHour = new Map(rows.map((r) => [r.hour.getTime(), r]));
  const hours: ActivityHour[] = [];
  const totals = { requests: 0, success: 0, clientError: 0, serverError: 0 };
  let busiest: ProvisioningActivity["busiest"] = null;
  for (let t = from; t <= currentHour; t += HOUR_MS) {
    const row = byHour.get(t);
    const hour = {
      hour: new Date(t).toISOString(),
      success: row?.success ?? 0,
      clientError: row?.clientError ?? 0,
      serverError: row?.serverError ?? 0,
    };
    hours.push(hour);
    const requests = hour.success + hour.clientError + hour.serverError;
    totals.requests += requests;
    totals.success += hour.success;
    totals.clientError += hour.clientError;
    totals.serverError += hour.serverError;
    if (requests > 0 && (!busiest || requests >= busiest.requests)) busiest = { hour: hour.hour, requests };
  }
  return { hours, totals, busiest };
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The chart in words, for screen readers and anyone who prefers numbers. */
export function describeActivity({ totals, busiest }: ProvisioningActivity): string {
  if (totals.requests === 0) return "In the last 7 days: no provisioning requests.";
  const hour = busiest ? formatWhen(busiest.hour) : "";
  return (
    `In the last 7 days: ${count(totals.requests, "request", "requests")}, ${totals.success.toLocaleString("en-US")} succeeded, ` +
    `${count(totals.clientError, "client error", "client errors")}, ${count(totals.serverError, "server error", "server errors")}` +
    (busiest ? `; busiest hour ${hour} with ${count(busiest.requests, "request", "requests")}.` : ".")
  );
}
