import { describe, expect, it } from "vitest";
import { useFreshStore } from "../../test/support/test-database";
import { getDb } from "../db";
import { setMemberActive } from "../members/set-member-active";
import { uniquenessKey } from "../scim/store";
import { createTeam } from "../teams/create-team";
import { listAuditEvents, listAuditPage } from "./list-audit-events";
import { recordAuditEvent } from "./record-audit-event";

useFreshStore();

const unique = () => Math.random().toString(36).slice(2, 10);

async function signUp() {
  const email = `admin-${unique()}@example.com`;
  const ids = await createTeam({ teamName: "Contoso", adminName: "Ada Admin", email, password: "Sturdy-Passw0rd" });
  return {
    ...ids,
    admin: { id: ids.adminUserId, teamId: ids.teamId, name: "Ada Admin", email, role: "ADMIN" as const },
  };
}

describe("audit log", () => {
  it("names every line's target: member, group, token, tenant and team", async () => {
    const { teamId, admin } = await signUp();
    const db = await getDb();
    const dave = await db.user.create({
      data: {
        teamId,
        name: "Dave Disabled",
        email: "dave@adatum.com",
        userName: "dave@adatum.onmicrosoft.com",
        userNameKey: uniquenessKey("dave@adatum.onmicrosoft.com"),
      },
      select: { id: true },
    });
    await setMemberActive(admin, dave.id, false);
    const group = await db.group.create({
      data: { teamId, displayName: "Designers", displayNameKey: "designers" },
      select: { id: true },
    });
    await recordAuditEvent({
      teamId,
      actorUserId: admin.id,
      action: "team.rename",
      targetType: "group",
      targetId: group.id,
      outcome: "success",
      details: { name: "x" },
    });
    await recordAuditEvent({
      teamId,
      actorUserId: admin.id,
      action: "scim_token.issue",
      targetType: "scim_token",
      targetId: "gone",
      outcome: "success",
      details: { name: "Entra production" },
    });
    await recordAuditEvent({
      teamId,
      actorUserId: admin.id,
      action: "sso.deactivate",
      targetType: "entra_tenant",
      targetId: "0a1e2c3d-0004-4a5b-8c6d-7e8f90a1b2c3",
      outcome: "success",
      details: { tenantName: "Adatum", tenantDomain: "adatum.onmicrosoft.com" },
    });
    await recordAuditEvent({
      teamId,
      actorUserId: null,
      action: "auth.password_failed",
      targetType: "user",
      targetId: "a-deleted-user",
      outcome: "failure",
      details: { email: "who@example.com" },
    });

    const events = await listAuditEvents(teamId, 50);
    const target = (action: string) => events.find((e) => e.action === action)?.target;
    expect(target("member.disable")).toEqual({ kind: "member", name: "Dave Disabled (dave@adatum.onmicrosoft.com)" });
    expect(events.find((e) => e.action === "member.disable")?.summary).toBe("Disabled Dave Disabled");
    expect(target("team.rename")).toEqual({ kind: "group", name: "Designers" });
    expect(target("scim_token.issue")).toEqual({ kind: "token", name: "“Entra production”" });
    expect(target("sso.deactivate")).toEqual({ kind: "tenant", name: "Adatum (0a1e2c3d-0004-4a5b-8c6d-7e8f90a1b2c3)" });
    expect(target("team.create")).toEqual({ kind: "team", name: "Contoso" });
    expect(target("auth.password_failed")).toEqual({ kind: "member", name: "who@example.com" });
  });

  it("pages with a cursor through events sharing a timestamp, with no skips or duplicates, and filters by category", async () => {
    const { teamId, adminUserId } = await signUp();
    const db = await getDb();
    const at = new Date("2026-11-30T12:00:00.000Z");
    for (let i = 0; i < 7; i++) {
      await db.auditEvent.create({
        data: {
          teamId,
          actorUserId: adminUserId,
          action: i % 2 ? "member.enable" : "scim_token.revoke",
          targetType: "user",
          targetId: adminUserId,
          outcome: "success",
          createdAt: at,
        },
      });
    }
    const all = await db.auditEvent.count({ where: { teamId } });
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await listAuditPage(teamId, { after }, 3);
      seen.push(...page.events.map((e) => e.id));
      after = page.nextCursor ?? undefined;
    } while (after);
    expect(seen).toHaveLength(all);
    expect(new Set(seen).size).toBe(all);

    const members = await listAuditPage(teamId, { category: "member" }, 2);
    expect(members.events.map((e) => e.action)).toEqual(["member.enable", "member.enable"]);
    const rest = await listAuditPage(teamId, { category: "member", after: members.nextCursor ?? undefined }, 2);
    expect(rest.events.map((e) => e.action)).toEqual(["member.enable"]);
    expect(rest.nextCursor).toBeNull();
    expect((await listAuditPage(teamId, { category: "scim_token" })).events).toHaveLength(4);
  });

  it("shows nothing of another team", async () => {
    const mine = await signUp();
    const theirs = await signUp();
    await recordAuditEvent({
      teamId: theirs.teamId,
      actorUserId: theirs.adminUserId,
      action: "team.rename",
      targetType: "team",
      targetId: theirs.teamId,
      outcome: "success",
      details: { name: "Theirs" },
    });
    const { events } = await listAuditPage(mine.teamId);
    expect(events.map((e) => e.action)).toEqual(["team.create"]);
  });
});
