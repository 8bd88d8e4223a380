import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import type { EntraIdentity } from "../entra/verify-id-token";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { completeSsoActivation, SsoActivationError, startSsoActivation } from "./activation";
import { resolveSsoMember } from "./resolve-member";
import { createSession, findActiveSession } from "../auth/sessions";
import { issueScimToken } from "../scim-tokens/scim-tokens";
import { authenticateScimToken } from "../scim-tokens/authenticate-scim-token";
import { deactivateSso, disconnectSsoTenant, getSsoStatus } from "./sso-connection";

useFreshStore();

const rand = () => Math.random().toString(16).slice(2, 10).padEnd(8, "0");
const guid = () =>
  `${rand()}-${rand().slice(0, 4)}-4${rand().slice(0, 3)}-8${rand().slice(0, 3)}-${rand()}${rand().slice(0, 4)}`;

async function adminOf(teamName: string) {
  const email = `admin-${rand()}@example.com`;
  const ids = await createTeam({ teamName, adminName: `${teamName} Admin`, email, password: "Sturdy-Passw0rd" });
  return { id: ids.adminUserId, teamId: ids.teamId, name: `${teamName} Admin`, email, role: "ADMIN" as const };
}

const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const DEFAULT_USER = "b79fbf4d-3ef9-4689-8143-76b194e85509";
const identity = (tid: string, extra: Partial<EntraIdentity> = {}): EntraIdentity => ({
  tid,
  oid: guid(),
  preferredUsername: "anna@alpine.onmicrosoft.com",
  name: "Anna",
  roleTemplateIds: [GLOBAL_ADMIN, DEFAULT_USER],
  ...extra,
});
const member = (tid: string, oid: string, preferredUsername: string): EntraIdentity => ({
  tid,
  oid,
  preferredUsername,
  name: null,
  roleTemplateIds: [],
});

async function reasonOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof SsoActivationError) return error.reason;
    throw error;
  }
}

describe("single sign-on activation", () => {
  it("binds the team to the validated token's tenant, once: a replayed callback is refused", async () => {
    const admin = await adminOf("Alpine");
    const tid = guid();
    const { token } = await startSsoActivation(admin);
    expect(await completeSsoActivation(token, identity(tid))).toEqual({ teamId: admin.teamId, tenantId: tid });
    expect(await getSsoStatus(admin.teamId)).toMatchObject({
      active: true,
      tenantId: tid,
      tenantDomain: "alpine.onmicrosoft.com",
      activatedByName: "Alpine Admin",
    });
    expect(await reasonOf(completeSsoActivation(token, identity(guid())))).toBe("expired");
    expect((await getSsoStatus(admin.teamId))?.tenantId).toBe(tid);
  });

  it("refuses an unsigned callback tenant that differs from the token's tid", async () => {
    const admin = await adminOf("Mismatch");
    const { token } = await startSsoActivation(admin);
    expect(await reasonOf(completeSsoActivation(token, identity(guid()), { callbackTenant: guid() }))).toBe(
      "tenant_mismatch",
    );
    expect(await getSsoStatus(admin.teamId)).toBeNull();
  });

  it("refuses a tenant bound to another team, and audits the attempt", async () => {
    const first = await adminOf("First");
    const second = await adminOf("Second");
    const tid = guid();
    await completeSsoActivation((await startSsoActivation(first)).token, identity(tid));
    expect(await reasonOf(completeSsoActivation((await startSsoActivation(second)).token, identity(tid)))).toBe(
      "tenant_bound_elsewhere",
    );
    expect(await getSsoStatus(second.teamId)).toBeNull();
    const prisma = await getDb();
    const audit = await prisma.auditEvent.findMany({ where: { teamId: second.teamId, action: "sso.activate" } });
    expect(audit.map((a) => [a.outcome, (a.details as { reason?: string }).reason])).toEqual([
      ["failure", "tenant_bound_elsewhere"],
    ]);
  });

  it("expires pending activations and refuses Users and demoted admins", async () => {
    const admin = await adminOf("Slow");
    const started = new Date("2030-01-01T00:00:00Z");
    const { token } = await startSsoActivation(admin, started);
    expect(
      await reasonOf(completeSsoActivation(token, identity(guid()), { now: new Date("2030-01-01T00:11:00Z") })),
    ).toBe("expired");

    await expect(startSsoActivation({ ...admin, role: "USER" })).rejects.toMatchObject({ code: "forbidden" });
    const pending = await startSsoActivation(admin);
    const prisma = await getDb();
    await prisma.user.update({ where: { id: admin.id }, data: { role: "USER" } });
    expect(await reasonOf(completeSsoActivation(pending.token, identity(guid())))).toBe("not_admin");
    expect(await getSsoStatus(admin.teamId)).toBeNull();
  });

  it("deactivates and re-activates the same tenant", async () => {
    const admin = await adminOf("Toggle");
    const tid = guid();
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    await deactivateSso(admin);
    expect(await getSsoStatus(admin.teamId)).toMatchObject({
      active: false,
      tenantId: tid,
      deactivatedAt: expect.any(String),
    });
    await expect(deactivateSso(admin)).rejects.toMatchObject({ code: "conflict" });
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    expect(await getSsoStatus(admin.teamId)).toMatchObject({ active: true, deactivatedAt: null });
  });
});

describe("tenant trust", () => {
  it("binds nothing for a non-administrator, audits their UPN, and lets the tenant's administrator connect afterwards", async () => {
    const lee = await adminOf("Lee's team");
    const tid = guid();
    const nonAdmin = identity(tid, {
      preferredUsername: "lee.gu@contoso.onmicrosoft.com",
      name: "Lee Gu",
      roleTemplateIds: [DEFAULT_USER],
    });
    expect(await reasonOf(completeSsoActivation((await startSsoActivation(lee)).token, nonAdmin))).toBe(
      "not_entra_admin",
    );
    // No wids claim at all (the app registration does not emit it) is no proof either.
    expect(
      await reasonOf(
        completeSsoActivation((await startSsoActivation(lee)).token, { ...nonAdmin, roleTemplateIds: [] }),
      ),
    ).toBe("not_entra_admin");
    expect(await getSsoStatus(lee.teamId)).toBeNull();
    const prisma = await getDb();
    const audit = await prisma.auditEvent.findMany({ where: { teamId: lee.teamId, action: "sso.activate" } });
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({
      outcome: "failure",
      targetId: tid,
      details: { reason: "not_entra_admin", entraUpn: "lee.gu@contoso.onmicrosoft.com" },
    });

    const company = await adminOf("Contoso");
    const adele = identity(tid, {
      preferredUsername: "adele.vance@contoso.onmicrosoft.com",
      name: "Adele Vance",
      roleTemplateIds: ["158c047a-c907-4556-b7ef-446551a6b5f7"],
    });
    const loadTenantProfile = async () => ({ name: "Contoso", domain: "contoso.com" });
    await completeSsoActivation((await startSsoActivation(company)).token, adele, { loadTenantProfile });
    expect(await getSsoStatus(company.teamId)).toMatchObject({
      active: true,
      tenantId: tid,
      tenantName: "Contoso",
      tenantDomain: "contoso.com",
      activatedByName: "Contoso Admin",
      consentedByName: "Adele Vance",
      consentedByUpn: "adele.vance@contoso.onmicrosoft.com",
    });
  });

  it("refuses another tenant while the team is bound, even when single sign-on is off", async () => {
    const admin = await adminOf("Bound");
    const contoso = guid();
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(contoso));
    await deactivateSso(admin);
    expect(await reasonOf(completeSsoActivation((await startSsoActivation(admin)).token, identity(guid())))).toBe(
      "tenant_change_requires_disconnect",
    );
    expect(await getSsoStatus(admin.teamId)).toMatchObject({ tenantId: contoso, active: false });
  });

  it("settles two administrators finishing at once with different tenants: exactly one binds", async () => {
    const admin = await adminOf("Race");
    const [a, b] = [await startSsoActivation(admin), await startSsoActivation(admin)];
    const [tidA, tidB] = [guid(), guid()];
    const reasons = await Promise.all([
      reasonOf(completeSsoActivation(a.token, identity(tidA))),
      reasonOf(completeSsoActivation(b.token, identity(tidB))),
    ]);
    expect(reasons.sort()).toEqual(["ok", "tenant_change_requires_disconnect"]);
    const bound = (await getSsoStatus(admin.teamId))?.tenantId;
    expect(bound).toBe(reasons[0] === "ok" ? tidA : tidB);
  });

  it("disconnect revokes every token, ends Microsoft sessions, clears pinned object ids and keeps members; then another tenant can connect", async () => {
    const admin = await adminOf("Disconnect");
    const contoso = guid();
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(contoso));
    const prisma = await getDb();
    const alexOid = guid();
    const alex = await prisma.user.create({
      data: {
        teamId: admin.teamId,
        name: "Alex",
        email: "alex@x",
        userName: "alex@contoso.onmicrosoft.com",
        entraObjectId: alexOid,
      },
    });
    const alexSession = await createSession(alex.id, "ENTRA");
    const adminSession = await createSession(admin.id, "PASSWORD");
    const { secret } = await issueScimToken(admin, { name: "Entra", expiresInDays: 30 });
    expect((await authenticateScimToken(`Bearer ${secret}`, "test")).ok).toBe(true);

    await expect(disconnectSsoTenant(admin, guid())).rejects.toMatchObject({ code: "conflict" });
    expect(await disconnectSsoTenant(admin, contoso)).toEqual({
      tenantId: contoso,
      tokensRevoked: 1,
      sessionsEnded: 1,
      membersUnlinked: 1,
    });

    expect(await getSsoStatus(admin.teamId)).toBeNull();
    expect((await authenticateScimToken(`Bearer ${secret}`, "test")).ok).toBe(false);
    expect(await prisma.scimToken.count({ where: { teamId: admin.teamId, revokedAt: null } })).toBe(0);
    expect(await findActiveSession(alexSession)).toBeNull();
    expect(await findActiveSession(adminSession)).toMatchObject({ id: admin.id });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: alex.id } })).toMatchObject({
      active: true,
      entraObjectId: null,
      userName: "alex@contoso.onmicrosoft.com",
    });
    expect(await resolveSsoMember(member(contoso, alexOid, "alex@contoso.onmicrosoft.com"))).toEqual({
      ok: false,
      reason: "tenant_not_connected",
    });

    const fabrikam = guid();
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(fabrikam));
    expect(await getSsoStatus(admin.teamId)).toMatchObject({ tenantId: fabrikam, active: true });
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { teamId: admin.teamId, action: "sso.disconnect" },
    });
    expect(audit).toMatchObject({ actorUserId: admin.id, targetId: contoso, outcome: "success" });
  });

  it("deactivation ends Microsoft sessions only; Administrators' password sessions stay", async () => {
    const admin = await adminOf("Sessions");
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(guid()));
    const prisma = await getDb();
    const bea = await prisma.user.create({ data: { teamId: admin.teamId, name: "Bea", email: "bea@x" } });
    const beaSession = await createSession(bea.id, "ENTRA");
    const adminPassword = await createSession(admin.id, "PASSWORD");
    const otherTeam = await adminOf("Bystander");
    const bystander = await createSession(otherTeam.id, "ENTRA");
    await deactivateSso(admin);
    expect(await findActiveSession(beaSession)).toBeNull();
    expect(await findActiveSession(adminPassword)).not.toBeNull();
    expect(await findActiveSession(bystander)).not.toBeNull();
  });
});

describe("member sign-in", () => {
  it("links a provisioned member by userName on first sign-in, then only by oid; never by email", async () => {
    const admin = await adminOf("Members");
    const tid = guid();
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    const prisma = await getDb();
    const alice = await prisma.user.create({
      data: {
        teamId: admin.teamId,
        name: "Alice",
        email: "alice@contoso.com",
        userName: "Alice@Contoso.onmicrosoft.com",
      },
    });

    const aliceOid = guid();
    expect(await resolveSsoMember(member(tid, aliceOid, "alice@contoso.onmicrosoft.com"))).toEqual({
      ok: true,
      userId: alice.id,
    });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: alice.id } })).entraObjectId).toBe(aliceOid);
    // Pinned: another oid with the same UPN (a recycled or forged name) is not Alice.
    expect(await resolveSsoMember(member(tid, guid(), "alice@contoso.onmicrosoft.com"))).toEqual({
      ok: false,
      reason: "not_provisioned",
    });
    // Alice renamed in Entra still signs in by oid.
    expect(await resolveSsoMember(member(tid, aliceOid, "alice.smith@contoso.onmicrosoft.com"))).toEqual({
      ok: true,
      userId: alice.id,
    });
    // The email address of a member is never a key.
    expect(await resolveSsoMember(member(tid, guid(), "alice@contoso.com"))).toEqual({
      ok: false,
      reason: "not_provisioned",
    });
  });

  it("refuses disabled members, tenants not connected, and deactivated SSO", async () => {
    const admin = await adminOf("Refusals");
    const tid = guid();
    expect(await resolveSsoMember(identity(tid))).toEqual({ ok: false, reason: "tenant_not_connected" });
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    const prisma = await getDb();
    await prisma.user.create({
      data: {
        teamId: admin.teamId,
        name: "Dave",
        email: "d@x",
        userName: "dave@refusals.onmicrosoft.com",
        active: false,
      },
    });
    expect(await resolveSsoMember(identity(tid, { preferredUsername: "dave@refusals.onmicrosoft.com" }))).toEqual({
      ok: false,
      reason: "disabled",
    });
    await prisma.user.create({
      data: { teamId: admin.teamId, name: "Erin", email: "e@x", userName: "erin@refusals.onmicrosoft.com" },
    });
    await deactivateSso(admin);
    expect(await resolveSsoMember(identity(tid, { preferredUsername: "erin@refusals.onmicrosoft.com" }))).toEqual({
      ok: false,
      reason: "tenant_not_connected",
    });
  });
});
