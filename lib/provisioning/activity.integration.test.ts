import { describe, expect, it } from "vitest";
import { useFreshStore } from "../../test/support/test-database";
import { getDb, Prisma } from "../db";
import { createTeam } from "../teams/create-team";
import { ACTIVITY_HOURS, activitySql, describeActivity, getProvisioningActivity } from "./activity";

useFreshStore();

const unique = () => Math.random().toString(36).slice(2, 10);

async function team() {
  return (
    await createTeam({
      teamName: "Contoso",
      adminName: "Ada Admin",
      email: `admin-${unique()}@example.com`,
      password: "Sturdy-Passw0rd",
    })
  ).teamId;
}

async function log(teamId: string, createdAt: string, status: number) {
  const db = await getDb();
  await db.scimRequestLog.create({
    data: {
      teamId,
      createdAt: new Date(createdAt),
      method: "GET",
      path: "/Users",
      operation: "List users",
      status,
      durationMs: 1,
    },
  });
}

describe("provisioning activity", () => {
  it("counts requests per UTC hour by outcome over the last 7 days, with empty hours as zeros", async () => {
    const teamId = await team();
    const other = await team();
    const now = new Date("2026-12-01T14:30:00.000Z");
    await log(teamId, "2026-12-01T14:05:00.000Z", 200);
    await log(teamId, "2026-12-01T14:29:59.999Z", 201);
    await log(teamId, "2026-12-01T14:10:00.000Z", 404);
    await log(teamId, "2026-12-01T13:59:59.999Z", 500);
    await log(teamId, "2026-12-01T13:00:00.000Z", 409);
    await log(teamId, "2026-11-24T15:00:00.000Z", 204); // the first hour of the window
    await log(teamId, "2026-11-24T14:59:59.999Z", 200); // just before it
    await log(teamId, "2026-12-01T14:31:00.000Z", 200); // after now
    await log(other, "2026-12-01T14:05:00.000Z", 500); // another team

    const activity = await getProvisioningActivity(teamId, now);
    expect(activity.hours).toHaveLength(ACTIVITY_HOURS);
    expect(activity.hours[0]).toEqual({ hour: "2026-11-24T15:00:00.000Z", success: 1, clientError: 0, serverError: 0 });
    expect(activity.hours.at(-1)).toEqual({
      hour: "2026-12-01T14:00:00.000Z",
      success: 2,
      clientError: 1,
      serverError: 0,
    });
    expect(activity.hours.at(-2)).toEqual({
      hour: "2026-12-01T13:00:00.000Z",
      success: 0,
      clientError: 1,
      serverError: 1,
    });
    expect(activity.hours.at(-3)).toEqual({
      hour: "2026-12-01T12:00:00.000Z",
      success: 0,
      clientError: 0,
      serverError: 0,
    });
    expect(activity.totals).toEqual({ requests: 6, success: 3, clientError: 2, serverError: 1 });
    expect(activity.busiest).toEqual({ hour: "2026-12-01T14:00:00.000Z", requests: 3 });
    expect(describeActivity(activity)).toBe(
      "In the last 7 days: 6 requests, 3 succeeded, 2 client errors, 1 server error; busiest hour 1 Dec 2026, 14:00 UTC with 3 requests.",
    );
  });

  it("says so when there were no requests", async () => {
    const activity = await getProvisioningActivity(await team(), new Date("2026-12-01T14:30:00.000Z"));
    expect(activity.totals.requests).toBe(0);
    expect(activity.busiest).toBeNull();
    expect(describeActivity(activity)).toBe("In the last 7 days: no provisioning requests.");
  });

  it("counts each hour off a range of the (teamId, createdAt, status) index, without sorting the week's entries", async () => {
    const teamId = await team();
    const db = await getDb();
    const plan = await db.$transaction(async (tx) => {
      // A tiny table is scanned whatever indexes exist; forbid that to see which index the planner can use.
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(
        Prisma.sql`EXPLAIN ${activitySql(teamId, new Date("2026-12-01T14:30:00.000Z"))}`,
      );
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    });
    expect(plan).toContain("ScimRequestLog_teamId_createdAt_status_idx");
    expect(plan).not.toContain("date_trunc");
    // The only sort is of the 168 hours the series produces, by hour.
    expect((plan.match(/Sort Key: (.*)/g) ?? []).every((line) => line.includes("h.hour"))).toBe(true);
  });
});
