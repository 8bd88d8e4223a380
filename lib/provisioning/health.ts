import { isGuid } from "../guid";
import { getDb, Prisma } from "../db";
import { findLastProvisioningCheck } from "./check";

/** Entra's provisioning service runs an incremental cycle about every 40 minutes; allow 20 minutes of margin. */
export const STALE_AFTER_MS = 60 * 60 * 1000;
/**
 * Microsoft's "Application provisioning in quarantine status": the job is evaluated for escrow once it
 * has at least 5,000 failures, and is quarantined when more than 40 % of its events fail.
 */
export const QUARANTINE_FAILURE_RATE = 0.4;
export const QUARANTINE_MIN_FAILURES = 5000;
export const EXPIRING_WITHIN_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ProvisioningHealth = {
  lastRequestAt: string | null;
  /** True when tokens are active and Entra has not called for longer than its cycle plus margin (or never). */
  stale: boolean;
  activeTokens: number;
  requests24h: number;
  failures24h: number;
  /** failures / requests over the last 24 h; null without requests. */
  failureRate24h: number | null;
  /** Over the quarantine rate with enough failures for Entra to act on it. */
  quarantineRisk: boolean;
  expiringTokens: { id: string; name: string; expiresAt: string }[];
  lastTestConnection: { id: string; at: string } | null;
  lastProvisioningCheck: { at: string; passed: boolean; failedCount: number } | null;
};

/** A request that failed as Entra sees it: any 4xx or 5xx answer. */
export const FAILED_STATUS = 400;

/**
 * Entra's Test Connection probe: GET /Users?filter=userName eq "<random GUID>", which a healthy
 * service answers 200 with no results.
 */
export function isTestConnectionPath(path: string): boolean {
  const queryAt = path.indexOf("?");
  if (queryAt < 0 || !/^\/Users\/?$/i.test(path.slice(0, queryAt))) return false;
  const filter = new URLSearchParams(path.slice(queryAt + 1)).get("filter");
  const match = filter?.trim().match(/^userName\s+eq\s+"([^"]*)"$/i);
  return match?.[1] !== undefined && isGuid(match[1]);
}

/**
 * The team's newest empty user lookups, among which Test Connection probes are recognised. Served
 * by the partial index "ScimRequestLog_empty_lookup_idx", whose predicate these conditions repeat:
 * the newest candidates off the index, not a scan of the team's log.
 */
export function probeCandidatesSql(teamId: string): Prisma.Sql {
  return Prisma.sql`
    SELECT "id", "createdAt", "path" FROM "ScimRequestLog"
    WHERE "teamId" = ${teamId} AND "method" = 'GET' AND "status" = 200
      AND "path" ILIKE '/Users?%' AND ("responseBody"->>'totalResults') = '0'
    ORDER BY "createdAt" DESC, "id" DESC
    LIMIT 20`;
}

export async function getProvisioningHealth(teamId: string, now: Date = new Date()): Promise<ProvisioningHealth> {
  const db = await getDb();
  const since = new Date(now.getTime() - DAY_MS);
  const expiringBefore = new Date(now.getTime() + EXPIRING_WITHIN_MS);
  // One pass over the last 24 h through the (teamId, createdAt, status) index (index-only where the
  // log is all-visible: the status is in the index), plus the newest entry read off it backwards.
  const [[counts], probes, tokens] = await Promise.all([
    db.$queryRaw<{ last: Date | null; requests: number; failures: number }[]>(Prisma.sql`
      SELECT
        (SELECT max("createdAt") FROM "ScimRequestLog" WHERE "teamId" = ${teamId}) AS "last",
        count(*)::int AS "requests",
        (count(*) FILTER (WHERE "status" >= ${FAILED_STATUS}))::int AS "failures"
      FROM "ScimRequestLog"
      WHERE "teamId" = ${teamId} AND "createdAt" >= ${since}`),
    db.$queryRaw<{ id: string; createdAt: Date; path: string }[]>(probeCandidatesSql(teamId)),
    db.scimToken.findMany({
      where: { teamId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true, name: true, expiresAt: true, replacedAt: true, overlapEndsAt: true },
    }),
  ]);
  const active = tokens.filter((t) => !t.replacedAt || (t.overlapEndsAt !== null && t.overlapEndsAt > now));
  const last = counts?.last ? new Date(counts.last) : null;
  const requests = Number(counts?.requests ?? 0);
  const failures = Number(counts?.failures ?? 0);
  const rate = requests > 0 ? failures / requests : null;
  const probe = probes.find((p) => isTestConnectionPath(p.path));
  const check = await findLastProvisioningCheck(teamId);
  return {
    lastRequestAt: last?.toISOString() ?? null,
    stale: active.length > 0 && (!last || now.getTime() - last.getTime() > STALE_AFTER_MS),
    activeTokens: active.length,
    requests24h: requests,
    failures24h: failures,
    failureRate24h: rate,
    quarantineRisk: rate !== null && rate > QUARANTINE_FAILURE_RATE && failures >= QUARANTINE_MIN_FAILURES,
    expiringTokens: active
      .filter((t): t is typeof t & { expiresAt: Date } => t.expiresAt !== null && t.expiresAt <= expiringBefore)
      .map((t) => ({ id: t.id, name: t.name, expiresAt: t.expiresAt.toISOString() })),
    lastTestConnection: probe ? { id: probe.id, at: new Date(probe.createdAt).toISOString() } : null,
    lastProvisioningCheck: check
      ? { at: check.finishedAt, passed: check.passed, failedCount: check.failedCount }
      : null,
  };
}
