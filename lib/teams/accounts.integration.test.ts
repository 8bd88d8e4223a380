import { describe, expect, it } from "vitest";
import { createSession, findActiveSession, revokeSession } from "../auth/sessions";
import { verifyCredentials } from "../auth/verify-credentials";
import { getDb } from "../db";
import { AppError } from "../errors";
import { addMember } from "../members/add-member";
import { listMembers } from "../members/list-members";
import { setMemberActive } from "../members/set-member-active";
import { useFreshStore } from "../../test/support/test-database";
import { createTeam } from "./create-team";

useFreshStore();

const unique = () => Math.random().toString(36).slice(2, 10);
const password = "Sturdy-Passw0rd";

async function signUp(email = `admin-${unique()}@example.com`) {
  const ids = await createTeam({ teamName: "Contoso", adminName: "Ada Admin", email, password });
  const admin = { id: ids.adminUserId, teamId: ids.teamId, name: "Ada Admin", email, role: "ADMIN" as const };
  return { ...ids, admin, email };
}

describe("sign-up", () => {
  it("creates a team and its first Administrator with a hashed password", async () => {
    const { teamId, adminUserId, email } = await signUp();
    const prisma = await getDb();
    const user = await prisma.user.findUniqueOrThrow({
      where: { id: adminUserId },
      include: { credential: true, team: true },
    });
    expect(user).toMatchObject({ teamId, role: "ADMIN", active: true, email, team: { name: "Contoso" } });
    expect(user.credential?.passwordHash).toMatch(/^scrypt\$/);
    expect(user.credential?.passwordHash).not.toContain(password);
  });

  it("refuses an email already in use, case-insensitively, and creates no second team", async () => {
    const { email } = await signUp();
    const prisma = await getDb();
    const teamsBefore = await prisma.team.count();
    const error = await createTeam({ teamName: "Again", adminName: "Bob", email: email.toUpperCase(), password }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "conflict", fields: { email: expect.stringMatching(/already exists/) } });
    expect(await prisma.team.count()).toBe(teamsBefore);
  });

  it("gives exactly one account when the same email signs up twice at once", async () => {
    const email = `race-${unique()}@example.com`;
    const prisma = await getDb();
    const teamsBefore = await prisma.team.count();
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) => createTeam({ teamName: `Race ${n}`, adminName: "R", email, password })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => r.reason.code)).toEqual(["conflict", "conflict"]);
    expect(await prisma.team.count()).toBe(teamsBefore + 1);
  });

  it("names each weak or empty field", async () => {
    const error = await createTeam({ teamName: "", adminName: " ", email: "not-an-email", password: "short" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: "validation",
      fields: {
        teamName: expect.any(String),
        adminName: "Enter a name.",
        email: expect.stringMatching(/valid email/),
        password: "Use at least 10 characters.",
      },
    });
  });
});

describe("password sign-in and sessions", () => {
  it("accepts the right password only, whatever the email's case", async () => {
    const { adminUserId, email } = await signUp();
    expect(await verifyCredentials({ email: email.toUpperCase(), password })).toBe(adminUserId);
    expect(await verifyCredentials({ email, password: "Wrong-Passw0rd" })).toBeNull();
    expect(await verifyCredentials({ email: `nobody-${unique()}@example.com`, password })).toBeNull();
    expect(await verifyCredentials({ email, password: "" })).toBeNull();
  });

  it("ends a session when it is revoked or its user is disabled, and refuses a disabled user's password", async () => {
    const { admin } = await signUp();
    const member = await addMember(admin, {
      name: "Uma User",
      email: `uma-${unique()}@example.com`,
      role: "USER",
      password,
    });
    const sid = await createSession(member.userId);
    expect(await findActiveSession(sid)).toMatchObject({ id: member.userId, teamId: admin.teamId, role: "USER" });

    await setMemberActive(admin, member.userId, false);
    expect(await findActiveSession(sid)).toBeNull();
    const prisma = await getDb();
    const email = (await prisma.user.findUniqueOrThrow({ where: { id: member.userId } })).email;
    expect(await verifyCredentials({ email, password })).toBeNull();

    await setMemberActive(admin, member.userId, true);
    expect(await findActiveSession(sid)).toBeNull(); // revoked sessions stay revoked
    const fresh = await createSession(member.userId);
    expect(await findActiveSession(fresh)).not.toBeNull();
    await revokeSession(fresh);
    expect(await findActiveSession(fresh)).toBeNull();
  });

  it("expires sessions", async () => {
    const { adminUserId } = await signUp();
    const sid = await createSession(adminUserId, "PASSWORD", new Date("2020-01-01T00:00:00Z"));
    expect(await findActiveSession(sid, new Date("2020-01-15T00:00:00Z"))).not.toBeNull();
    expect(await findActiveSession(sid, new Date("2020-03-01T00:00:00Z"))).toBeNull();
  });
});

describe("members", () => {
  it("keeps teams apart: another team's member is not found and unchanged", async () => {
    const a = await signUp();
    const b = await signUp();
    const bMember = await addMember(b.admin, {
      name: "Bea",
      email: `bea-${unique()}@example.com`,
      role: "USER",
      password,
    });
    await expect(setMemberActive(a.admin, bMember.userId, false)).rejects.toMatchObject({ code: "not_found" });
    const prisma = await getDb();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: bMember.userId } })).active).toBe(true);
    expect((await listMembers(a.teamId)).members.map((m) => m.id)).toEqual([a.adminUserId]);
  });

  it("refuses to let an Administrator disable themselves", async () => {
    const { admin } = await signUp();
    await expect(setMemberActive(admin, admin.id, false)).rejects.toMatchObject({ code: "conflict" });
  });

  it("records who did what in the audit log", async () => {
    const { admin } = await signUp();
    const { userId } = await addMember(admin, {
      name: "Al",
      email: `al-${unique()}@example.com`,
      role: "USER",
      password,
    });
    await setMemberActive(admin, userId, false);
    const prisma = await getDb();
    const events = await prisma.auditEvent.findMany({ where: { teamId: admin.teamId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.action, e.actorUserId, e.targetId, e.outcome])).toEqual([
      ["team.create", admin.id, admin.teamId, "success"],
      ["member.add", admin.id, userId, "success"],
      ["member.disable", admin.id, userId, "success"],
    ]);
  });
});
