import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, Prisma, type PrismaClient } from "../db";
import { createTeam } from "../teams/create-team";
import { testDatabaseUrl, useFreshStore } from "../../test/support/test-database";
import { getProvisioningHealth, isTestConnectionPath, probeCandidatesSql } from "./health";
import { decodeCursor, listScimRequestLog, parseLogFilter, requestLogCsv } from "./list-request-log";
import { toLogRow, VACUUM_LOG_EVERY, writeLogRows } from "./request-log";

// The health numbers and the log's filters and cursor paging, on the real store.

let prisma: PrismaClient;
useFreshStore();
beforeAll(async () => {
  prisma = await getDb();
});

const NOW = new Date("2026-06-01T12:00:00.000Z");
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

async function newTeam() {
  const suffix = Math.random().toString(36).slice(2, 10);
  const { teamId } = await createTeam({
    teamName: "Contoso",
    adminName: "Ada Admin",
    email: `admin-${suffix}@example.com`,
    password: "Sturdy-Passw0rd",
  });
  return teamId;
}

type LogRow = {
  at: Date;
  status?: number;
  method?: string;
  path?: string;
  operation?: string;
  targetId?: string | null;
  responseBody?: object;
  id?: string;
};
async function log(teamId: string, rows: LogRow[]) {
  await prisma.scimRequestLog.createMany({
    data: rows.map((r) => ({
      id: r.id ?? randomUUID(),
      teamId,
      createdAt: r.at,
      method: r.method ?? "GET",
      path: r.path ?? "/Users",
      operation: r.operation ?? "List users",
      targetId: r.targetId ?? null,
      status: r.status ?? 200,
      durationMs: 3,
      ...(r.responseBody ? { responseBody: r.responseBody } : {}),
    })),
  });
}

async function token(teamId: string, fields: { expiresAt?: Date | null; revokedAt?: Date; name?: string } = {}) {
  await prisma.scimToken.create({
    data: {
      teamId,
      name: fields.name ?? "Entra",
      tokenHash: randomUUID(),
      last4: "abcd",
      createdByName: "Ada Admin",
      expiresAt: fields.expiresAt ?? null,
      revokedAt: fields.revokedAt,
    },
  });
}

const PROBE = `/Users?filter=${encodeURIComponent('userName eq "8a3f0a4e-1b2c-4d5e-9f00-0123456789ab"')}`;

describe("provisioning health", () => {
  it("reports nothing and no warning for a team without tokens or requests", async () => {
    const teamId = await newTeam();
    expect(await getProvisioningHealth(teamId, NOW)).toEqual({
      lastRequestAt: null,
      stale: false,
      activeTokens: 0,
      requests24h: 0,
      failures24h: 0,
      failureRate24h: null,
      quarantineRisk: false,
      expiringTokens: [],
      lastTestConnection: null,
      lastProvisioningCheck: null,
    });
  });

  it("counts the last 24 hours, finds the last Test Connection and the tokens about to expire", async () => {
    const teamId = await newTeam();
    await token(teamId, { name: "Soon", expiresAt: new Date(NOW.getTime() + 10 * 86_400_000) });
    await token(teamId, { name: "Later", expiresAt: new Date(NOW.getTime() + 90 * 86_400_000) });
    await token(teamId, { name: "Revoked", expiresAt: new Date(NOW.getTime() + 5 * 86_400_000), revokedAt: ago(5) });
    await log(teamId, [
      { at: ago(25 * 60), status: 500 }, // older than 24 h: not counted
      { at: ago(120), path: PROBE, operation: "Find users", responseBody: { totalResults: 0, Resources: [] } },
      { at: ago(60), status: 409, method: "POST", operation: "Create user" },
      { at: ago(30), status: 400, method: "PATCH", operation: "Update user" },
      {
        at: ago(20),
        path: `/Users?filter=${encodeURIComponent('userName eq "ann@contoso.com"')}`,
        operation: "Find users",
        responseBody: { totalResults: 0, Resources: [] },
      },
      { at: ago(10) },
    ]);
    const health = await getProvisioningHealth(teamId, NOW);
    expect(health).toMatchObject({
      lastRequestAt: ago(10).toISOString(),
      stale: false,
      activeTokens: 2,
      requests24h: 5,
      failures24h: 2,
      failureRate24h: 0.4,
      quarantineRisk: false,
    });
    expect(health.expiringTokens.map((t) => t.name)).toEqual(["Soon"]);
    expect(health.lastTestConnection?.at).toBe(ago(120).toISOString());
  });

  it("warns when tokens are active but Entra has not called for over an hour, and at quarantine levels of failure", async () => {
    const teamId = await newTeam();
    await token(teamId);
    expect((await getProvisioningHealth(teamId, NOW)).stale).toBe(true);
    await log(teamId, [
      ...Array.from({ length: 5000 }, () => ({ at: ago(61), status: 500 })),
      ...Array.from({ length: 2000 }, () => ({ at: ago(70) })),
    ]);
    const health = await getProvisioningHealth(teamId, NOW);
    expect(health).toMatchObject({ stale: true, requests24h: 7000, failures24h: 5000, quarantineRisk: true });
    await log(teamId, [{ at: ago(1) }]);
    expect((await getProvisioningHealth(teamId, NOW)).stale).toBe(false);
  });

  it("finds the latest probe through the partial index, not by reading the team's log", async () => {
    const teamId = await newTeam();
    const plan = await prisma.$transaction(async (tx) => {
      // A tiny table is scanned whatever indexes exist; forbid that to see which index the planner can use.
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${probeCandidatesSql(teamId)}`);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("ScimRequestLog_empty_lookup_idx");
  });

  it("reads a target's history off the partial target index, newest first, without sorting the log", async () => {
    const teamId = await newTeam();
    const plan = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      // The statement listScimRequestLog sends for ?target=…: the team, the target, newest first, a page and one more.
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`
        EXPLAIN SELECT * FROM "ScimRequestLog" WHERE "teamId" = ${teamId} AND "targetId" = ${randomUUID()}
        ORDER BY "createdAt" DESC, "id" DESC LIMIT 51`);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("ScimRequestLog_target_idx");
    expect(plan).not.toContain("Sort");
  });

  it.skipIf(testDatabaseUrl)(
    "vacuums the log on the embedded store as it writes, so the chart's counts can read the index only",
    async () => {
      const teamId = await newTeam();
      // Without autovacuum only a VACUUM (or ANALYZE) sets relallvisible; nothing else in this file runs one.
      const allVisible = async () =>
        (
          await prisma.$queryRaw<
            { pages: number }[]
          >`SELECT relallvisible::int AS "pages" FROM pg_class WHERE relname = 'ScimRequestLog'`
        )[0]!.pages;
      expect(await allVisible()).toBe(0);
      for (let written = 0; written < VACUUM_LOG_EVERY; written += 1000) {
        await writeLogRows(
          Array.from({ length: 1000 }, (_, i) =>
            toLogRow({
              teamId,
              tokenId: null,
              at: ago(i),
              method: "GET",
              path: "/Users",
              operation: "List users",
              targetId: null,
              status: 200,
              scimType: null,
              detail: null,
              durationMs: 1,
              requestBody: null,
              responseBody: null,
            }),
          ),
        );
      }
      expect(await allVisible()).toBeGreaterThan(0);
    },
  );

  it("recognises Entra's probe only with a GUID userName", () => {
    expect(isTestConnectionPath(PROBE)).toBe(true);
    expect(isTestConnectionPath(`/Users?filter=${encodeURIComponent('userName eq "ann@contoso.com"')}`)).toBe(false);
    expect(
      isTestConnectionPath(
        `/Groups?filter=${encodeURIComponent('displayName eq "8a3f0a4e-1b2c-4d5e-9f00-0123456789ab"')}`,
      ),
    ).toBe(false);
  });
});

describe("provisioning log listing", () => {
  it("pages through entries sharing one millisecond without skipping or repeating any", async () => {
    const teamId = await newTeam();
    const same = ago(5);
    const ids = Array.from({ length: 7 }, () => randomUUID());
    await log(teamId, [{ at: ago(1) }, ...ids.map((id) => ({ at: same, id })), { at: ago(9) }]);
    const seen: string[] = [];
    let cursor: { at: Date; id: string } | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: Awaited<ReturnType<typeof listScimRequestLog>> = await listScimRequestLog(teamId, {
        cursor,
        limit: 3,
        now: NOW,
      });
      seen.push(...page.entries.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = decodeCursor(page.nextCursor);
    }
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect(seen.slice(1, 8)).toEqual([...ids].sort().reverse());
  });

  it("filters by outcome, operation, target and range, and names each target", async () => {
    const teamId = await newTeam();
    const user = await prisma.user.create({
      data: { teamId, name: "Ann", email: "ann@contoso.com", userName: "ann@contoso.com" },
    });
    const group = await prisma.group.create({ data: { teamId, displayName: "Sales", displayNameKey: "sales" } });
    await log(teamId, [
      { at: ago(2), method: "POST", operation: "Create user", targetId: user.id, status: 201 },
      { at: ago(3), method: "PATCH", operation: "Update group", targetId: group.id, status: 400 },
      { at: ago(3000), method: "DELETE", operation: "Delete user", targetId: "gone", status: 404 },
    ]);
    const list = async (query: string) =>
      (await listScimRequestLog(teamId, { filter: parseLogFilter(new URLSearchParams(query)), now: NOW })).entries;
    expect((await list("")).map((e) => e.target)).toEqual([
      { kind: "user", name: "ann@contoso.com" },
      { kind: "group", name: "Sales" },
      null,
    ]);
    expect((await list("outcome=errors")).map((e) => e.operation)).toEqual(["Update group", "Delete user"]);
    expect((await list("outcome=errors&range=24h")).map((e) => e.operation)).toEqual(["Update group"]);
    expect((await list("operation=Create+user")).map((e) => e.targetId)).toEqual([user.id]);
    expect((await list(`target=${group.id}`)).map((e) => e.operation)).toEqual(["Update group"]);

    let csv = "";
    for await (const chunk of requestLogCsv(teamId, parseLogFilter(new URLSearchParams("outcome=errors")), NOW))
      csv += chunk;
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("at,operation,method,path,status,scimType,detail,targetId,target,durationMs");
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["Update group", "Delete user"]);
    expect(lines[1]).toContain(",Sales,");
  });
});
