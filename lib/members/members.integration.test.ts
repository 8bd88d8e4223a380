import { describe, expect, it } from "vitest";
import { useFreshStore } from "../../test/support/test-database";
import { changePassword } from "../auth/change-password";
import { createPasswordThrottle } from "../auth/password-throttle";
import { verifyCredentials } from "../auth/verify-credentials";
import { createSession, findActiveSession } from "../auth/sessions";
import { getDb } from "../db";
import { uniquenessKey } from "../scim/store";
import { createTeam } from "../teams/create-team";
import { addMember } from "./add-member";
import { getMember } from "./get-member";
import { listMembers, type MemberQuery } from "./list-members";
import { memberAttributeRows } from "./member-attributes";
import { renameSelf } from "./rename-self";
import { setMemberActive } from "./set-member-active";
import { signOutMemberEverywhere } from "./sign-out-member";

useFreshStore();

const unique = () => Math.random().toString(36).slice(2, 10);
const password = "Sturdy-Passw0rd";
const noHeaders = new Headers();

async function signUp(adminName = "Ada Admin") {
  const email = `admin-${unique()}@example.com`;
  const ids = await createTeam({ teamName: "Contoso", adminName, email, password });
  return {
    ...ids,
    email,
    admin: { id: ids.adminUserId, teamId: ids.teamId, name: adminName, email, role: "ADMIN" as const },
  };
}

/** A member as provisioning writes it (the columns the directory reads). */
async function provision(
  teamId: string,
  {
    name,
    userName,
    email = userName,
    externalId = null,
    active = true,
    role = "USER",
  }: {
    name: string;
    userName: string;
    email?: string;
    externalId?: string | null;
    active?: boolean;
    role?: "ADMIN" | "USER";
  },
) {
  const db = await getDb();
  return db.user.create({
    data: {
      teamId,
      name,
      email,
      userName,
      userNameKey: uniquenessKey(userName),
      externalId,
      active,
      role,
      scimAttributes: { displayName: name },
    },
    select: { id: true },
  });
}

const names = async (teamId: string, query: MemberQuery) =>
  (await listMembers(teamId, query)).members.map((m) => m.name);

describe("members directory search", () => {
  it("finds members by the start of their name, email, UPN or externalId, case-insensitively", async () => {
    const { teamId } = await signUp();
    await provision(teamId, {
      name: "Alice Archer",
      userName: "alice.a@contoso.onmicrosoft.com",
      email: "alice@contoso.com",
      externalId: "EXT-1001",
    });
    await provision(teamId, {
      name: "Bob Baker",
      userName: "bob@contoso.onmicrosoft.com",
      email: "robert@fabrikam.com",
      externalId: "ext-2002",
    });
    await provision(teamId, { name: "Zed 100%_off", userName: "zed@contoso.onmicrosoft.com" });

    expect(await names(teamId, { search: "ALI" })).toEqual(["Alice Archer"]);
    expect(await names(teamId, { search: "robert@fab" })).toEqual(["Bob Baker"]);
    expect(await names(teamId, { search: "Alice.A@Contoso" })).toEqual(["Alice Archer"]);
    expect(await names(teamId, { search: "ext-" })).toEqual(["Alice Archer", "Bob Baker"]);
    expect(await names(teamId, { search: "ext-2" })).toEqual(["Bob Baker"]);
    // Not a substring search: the middle of a value does not match.
    expect(await names(teamId, { search: "archer" })).toEqual([]);
    // LIKE wildcards in the search text are matched literally.
    expect(await names(teamId, { search: "Zed 100%_" })).toEqual(["Zed 100%_off"]);
    expect(await names(teamId, { search: "%" })).toEqual([]);
    expect(await names(teamId, { search: "_" })).toEqual([]);
  });

  it("filters by source, status and role", async () => {
    const { teamId, admin } = await signUp("Ada Admin");
    await provision(teamId, { name: "Pat Provisioned", userName: "pat@contoso.onmicrosoft.com" });
    await provision(teamId, { name: "Dee Disabled", userName: "dee@contoso.onmicrosoft.com", active: false });
    await addMember(admin, { name: "Paula Password", email: `paula-${unique()}@example.com`, role: "USER", password });

    expect(await names(teamId, { source: "provisioned" })).toEqual(["Dee Disabled", "Pat Provisioned"]);
    expect(await names(teamId, { source: "password" })).toEqual(["Ada Admin", "Paula Password"]);
    expect(await names(teamId, { status: "disabled" })).toEqual(["Dee Disabled"]);
    expect(await names(teamId, { status: "active", role: "USER" })).toEqual(["Pat Provisioned", "Paula Password"]);
    expect(await names(teamId, { role: "ADMIN" })).toEqual(["Ada Admin"]);
    expect(await names(teamId, { source: "provisioned", search: "p" })).toEqual(["Pat Provisioned"]);
    const page = await listMembers(teamId, { source: "provisioned" });
    expect(page.members[0]).toMatchObject({
      userName: "dee@contoso.onmicrosoft.com",
      provisioned: true,
      hasPassword: false,
      active: false,
    });
    expect(page).toMatchObject({ total: 2, totalCapped: false });
  });

  it("pages with a cursor through members sharing a name, forward and back, with no skips or duplicates", async () => {
    const { teamId, adminUserId } = await signUp("Aaron Admin");
    for (let i = 0; i < 7; i++)
      await provision(teamId, { name: "Sam Same", userName: `sam${i}@contoso.onmicrosoft.com` });
    await provision(teamId, { name: "Zoe Last", userName: "zoe@contoso.onmicrosoft.com" });
    const all = (await listMembers(teamId, {}, 100)).members.map((m) => m.id);
    expect(all).toHaveLength(9);
    expect(all[0]).toBe(adminUserId);

    const forward: string[] = [];
    let page = await listMembers(teamId, {}, 3);
    expect(page.previousCursor).toBeNull();
    const pages = [page];
    for (;;) {
      forward.push(...page.members.map((m) => m.id));
      if (!page.nextCursor) break;
      page = await listMembers(teamId, { after: page.nextCursor }, 3);
      pages.push(page);
    }
    expect(forward).toEqual(all);
    expect(pages).toHaveLength(3);
    expect(pages.at(-1)?.previousCursor).not.toBeNull();

    const backward: string[] = [];
    let back = pages.at(-1)!;
    while (back.previousCursor) {
      back = await listMembers(teamId, { before: back.previousCursor }, 3);
      backward.unshift(...back.members.map((m) => m.id));
    }
    expect([...backward, ...pages.at(-1)!.members.map((m) => m.id)]).toEqual(all);
    expect(back.previousCursor).toBeNull();
    // A cursor that was tampered with is no position: the first page.
    expect((await listMembers(teamId, { after: "not-a-cursor" }, 3)).members.map((m) => m.id)).toEqual(all.slice(0, 3));
  });

  it("keeps teams apart: another team's members never match", async () => {
    const a = await signUp();
    const b = await signUp();
    await provision(b.teamId, {
      name: "Bea Other",
      userName: "bea@fabrikam.onmicrosoft.com",
      externalId: "shared-ext",
    });
    await provision(a.teamId, { name: "Abe Mine", userName: "abe@contoso.onmicrosoft.com", externalId: "shared-ext" });
    expect(await names(a.teamId, { search: "shared" })).toEqual(["Abe Mine"]);
    expect(await names(a.teamId, { search: "bea" })).toEqual([]);
    await expect(
      getMember(a.teamId, (await listMembers(b.teamId, { search: "bea" })).members[0]!.id),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("has a prefix index behind every search branch", async () => {
    const { teamId } = await signUp();
    const db = await getDb();
    // Enough rows in one team that reading them all costs more than an index range scan.
    await db.$executeRaw`
      INSERT INTO "User" ("id", "teamId", "name", "email", "userName", "userNameKey", "externalId", "updatedAt")
      SELECT md5('plan-' || i), ${teamId}, 'Person ' || lpad(i::text, 5, '0'), 'p' || i || '@contoso.com',
             'upn' || i || '@contoso.onmicrosoft.com', 'upn' || i || '@contoso.onmicrosoft.com', 'ext-' || i, now()
      FROM generate_series(1, 3000) AS i`;
    await db.$executeRawUnsafe(`ANALYZE "User"`);
    const plan = async (where: string) =>
      (
        await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
          `EXPLAIN SELECT "id" FROM "User" WHERE "teamId" = $1 AND ${where}`,
          teamId,
        )
      )
        .map((r) => r["QUERY PLAN"])
        .join("\n");
    expect(await plan(`lower("name") LIKE 'person 0012%'`)).toContain("User_members_name_prefix_idx");
    expect(await plan(`lower("email") LIKE 'p12%'`)).toContain("User_members_email_prefix_idx");
    expect(await plan(`"userNameKey" LIKE 'upn12%'`)).toContain("User_members_username_prefix_idx");
    expect(await plan(`lower("externalId") LIKE 'ext-12%'`)).toContain("User_members_externalid_prefix_idx");
    expect(await plan(`("name", "id") > ('Person 01000', '') ORDER BY "name", "id" LIMIT 51`)).toContain(
      "User_teamId_name_id_idx",
    );
    expect((await listMembers(teamId, { search: "upn1234@" })).members.map((m) => m.name)).toEqual(["Person 01234"]);
  });
});

describe("adding a member whose email the team already has", () => {
  it("asks for confirmation, then adds a second member told apart by UPN", async () => {
    const { teamId, admin } = await signUp();
    await provision(teamId, {
      name: "Chris Entra",
      userName: "chris@contoso.onmicrosoft.com",
      email: "chris@contoso.com",
    });
    const input = { name: "Chris Password", email: "Chris@Contoso.com", role: "USER", password };
    await expect(addMember(admin, input)).rejects.toMatchObject({
      code: "conflict",
      status: 409,
      fields: { confirmDuplicateEmail: expect.any(String) },
    });
    expect(await names(teamId, { search: "chris" })).toEqual(["Chris Entra"]);

    await addMember(admin, { ...input, confirmDuplicateEmail: true });
    const found = (await listMembers(teamId, { search: "chris@contoso.com" })).members;
    expect(found.map((m) => [m.name, m.email, m.userName])).toEqual([
      ["Chris Entra", "chris@contoso.com", "chris@contoso.onmicrosoft.com"],
      ["Chris Password", "chris@contoso.com", null],
    ]);
  });

  it("still refuses an email another password account signs in with", async () => {
    const { admin, email } = await signUp();
    await expect(
      addMember(admin, { name: "Again", email, role: "USER", password, confirmDuplicateEmail: true }),
    ).rejects.toMatchObject({ code: "conflict", fields: { email: expect.any(String) } });
  });
});

describe("member page data", () => {
  it("shows the attributes Entra sent, groups and sign-in methods", async () => {
    const { teamId } = await signUp();
    const db = await getDb();
    const user = await db.user.create({
      data: {
        teamId,
        name: "Eve Entra",
        email: "eve@contoso.com",
        userName: "eve@contoso.onmicrosoft.com",
        userNameKey: "eve@contoso.onmicrosoft.com",
        externalId: "eve-ext",
        scimAttributes: {
          displayName: "Eve Entra",
          name: { givenName: "Eve", familyName: "Entra" },
          emails: [{ value: "eve@contoso.com", type: "work", primary: true }],
          department: "Finance",
          customExtensions: {
            "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User": { costCode: "CC-7" },
          },
        },
      },
    });
    const group = await db.group.create({
      data: { teamId, displayName: "Finance Team", displayNameKey: "finance team" },
    });
    await db.groupMember.create({ data: { groupId: group.id, userId: user.id } });
    await createSession(user.id, "ENTRA");

    const member = await getMember(teamId, user.id);
    expect(member).toMatchObject({
      signInMethods: ["microsoft"],
      groups: [{ id: group.id, displayName: "Finance Team" }],
      provisioned: true,
    });
    expect(member.sessions).toHaveLength(1);
    expect(member.lastSignInAt).not.toBeNull();
    expect(Object.fromEntries(memberAttributeRows(member).map((r) => [r.name, r.value]))).toEqual({
      userName: "eve@contoso.onmicrosoft.com",
      externalId: "eve-ext",
      active: "true",
      "name.givenName": "Eve",
      "name.familyName": "Entra",
      displayName: "Eve Entra",
      "emails[0]": "eve@contoso.com (work, primary)",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Finance",
      "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCode": "CC-7",
    });
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the member and audits it by name; another team's member is not found", async () => {
    const { admin, teamId } = await signUp();
    const other = await signUp();
    const { userId } = await addMember(admin, {
      name: "Uma User",
      email: `uma-${unique()}@example.com`,
      role: "USER",
      password,
    });
    const sessions = [await createSession(userId), await createSession(userId, "ENTRA")];
    const bystander = await createSession(admin.id);

    await expect(signOutMemberEverywhere(other.admin, userId)).rejects.toMatchObject({ code: "not_found" });
    expect(await findActiveSession(sessions[0]!)).not.toBeNull();

    expect(await signOutMemberEverywhere(admin, userId)).toEqual({ sessionsEnded: 2 });
    for (const sid of sessions) expect(await findActiveSession(sid)).toBeNull();
    expect(await findActiveSession(bystander)).not.toBeNull();
    // They may sign in again.
    expect(await verifyCredentials({ email: (await getMember(teamId, userId)).email, password })).toBe(userId);

    const db = await getDb();
    const event = await db.auditEvent.findFirstOrThrow({ where: { teamId, action: "member.sign_out_everywhere" } });
    expect(event).toMatchObject({
      actorUserId: admin.id,
      targetType: "user",
      targetId: userId,
      details: { member: "Uma User", sessionsEnded: 2 },
    });
  });

  it("names the member in the audit lines of adding and disabling", async () => {
    const { admin, teamId } = await signUp();
    const { userId } = await addMember(admin, {
      name: "Nora Named",
      email: `nora-${unique()}@example.com`,
      role: "USER",
      password,
    });
    await setMemberActive(admin, userId, false);
    const db = await getDb();
    const events = await db.auditEvent.findMany({ where: { teamId, targetId: userId }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.action, e.targetType, (e.details as { member?: string }).member])).toEqual([
      ["member.add", "user", "Nora Named"],
      ["member.disable", "user", "Nora Named"],
    ]);
  });
});

describe("profile", () => {
  it("changing the password ends the other sessions and keeps the current one", async () => {
    const { admin, email } = await signUp();
    const current = await createSession(admin.id);
    const others = [await createSession(admin.id), await createSession(admin.id)];
    const result = await changePassword(
      admin,
      { currentPassword: password, newPassword: "Another-Passw0rd" },
      { sessionId: current, headers: noHeaders, throttle: createPasswordThrottle() },
    );
    expect(result).toEqual({ sessionsEnded: 2 });
    expect(await findActiveSession(current)).not.toBeNull();
    for (const sid of others) expect(await findActiveSession(sid)).toBeNull();
    expect(await verifyCredentials({ email, password })).toBeNull();
    expect(await verifyCredentials({ email, password: "Another-Passw0rd" })).toBe(admin.id);
    const db = await getDb();
    expect(
      await db.auditEvent.findFirst({
        where: { teamId: admin.teamId, action: "auth.password_change", outcome: "success" },
      }),
    ).toMatchObject({ targetId: admin.id });
  });

  it("requires the current password and throttles guesses like sign-in", async () => {
    const { admin, email } = await signUp();
    const current = await createSession(admin.id);
    const throttle = createPasswordThrottle({
      account: { freeFailures: 2, baseDelayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 },
    });
    const attempt = (currentPassword: string) =>
      changePassword(
        admin,
        { currentPassword, newPassword: "Another-Passw0rd" },
        { sessionId: current, headers: noHeaders, throttle },
      );
    await expect(attempt("Wrong-Passw0rd-1")).rejects.toMatchObject({
      code: "validation",
      fields: { currentPassword: "That is not your current password." },
    });
    await expect(attempt("Wrong-Passw0rd-2")).rejects.toMatchObject({ code: "validation" });
    await expect(attempt("Wrong-Passw0rd-3")).rejects.toMatchObject({ code: "rate_limited" });
    // Locked: even the right password is refused until the lock ends.
    await expect(attempt(password)).rejects.toMatchObject({ code: "rate_limited" });
    expect(await verifyCredentials({ email, password })).toBe(admin.id);
  });

  it("a provisioned member has no password to change and keeps Entra's name", async () => {
    const { teamId } = await signUp();
    const { id } = await provision(teamId, { name: "Pia Provisioned", userName: "pia@contoso.onmicrosoft.com" });
    const user = { id, teamId, name: "Pia Provisioned", email: "pia@contoso.onmicrosoft.com", role: "USER" as const };
    await expect(
      changePassword(
        user,
        { currentPassword: "whatever-it-is", newPassword: "Another-Passw0rd" },
        { sessionId: "x", headers: noHeaders, throttle: createPasswordThrottle() },
      ),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(renameSelf(user, { name: "Pia P." })).rejects.toMatchObject({ code: "conflict" });
  });

  it("a password member changes their name, audited with the old and new name", async () => {
    const { admin, teamId } = await signUp();
    await renameSelf(admin, { name: "  Ada Lovelace " });
    expect((await getMember(teamId, admin.id)).name).toBe("Ada Lovelace");
    await expect(renameSelf(admin, { name: "" })).rejects.toMatchObject({
      code: "validation",
      fields: { name: "Enter a name." },
    });
    const db = await getDb();
    expect(await db.auditEvent.findFirst({ where: { teamId, action: "member.rename" } })).toMatchObject({
      targetId: admin.id,
      details: { member: "Ada Lovelace", oldName: "Ada Admin" },
    });
  });
});
