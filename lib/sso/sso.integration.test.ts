import { describe, expect, it } from "vitest";
import { getDb } from "../db";
import type { EntraIdentity } from "../entra/verify-id-token";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../testing/test-database";
import { completeSsoActivation, SsoActivationError, startSsoActivation } from "./activation";
import { resolveSsoMember } from "./resolve-member";
import { deactivateSso, getSsoStatus } from "./sso-connection";

useFreshStore();

const rand = () => Math.random().toString(16).slice(2, 10).padEnd(8, "0");
const guid = () => `${rand()}-${rand().slice(0, 4)}-4${rand().slice(0, 3)}-8${rand().slice(0, 3)}-${rand()}${rand().slice(0, 4)}`;

async function adminOf(teamName: string) {
  const email = `admin-${rand()}@example.com`;
  const ids = await createTeam({ teamName, adminName: `${teamName} Admin`, email, password: "Sturdy-Passw0rd" });
  return { id: ids.adminUserId, teamId: ids.teamId, name: `${teamName} Admin`, email, role: "ADMIN" as const };
}

const identity = (tid: string, extra: Partial<EntraIdentity> = {}): EntraIdentity => ({ tid, oid: guid(), preferredUsername: "anna@alpine.onmicrosoft.com", name: "Anna", ...extra });

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
    expect(await getSsoStatus(admin.teamId)).toMatchObject({ active: true, tenantId: tid, tenantDomain: "alpine.onmicrosoft.com", activatedByName: "Alpine Admin" });
    expect(await reasonOf(completeSsoActivation(token, identity(guid())))).toBe("expired");
    expect((await getSsoStatus(admin.teamId))?.tenantId).toBe(tid);
  });

  it("refuses an unsigned callback tenant that differs from the token's tid", async () => {
    const admin = await adminOf("Mismatch");
    const { token } = await startSsoActivation(admin);
    expect(await reasonOf(completeSsoActivation(token, identity(guid()), { callbackTenant: guid() }))).toBe("tenant_mismatch");
    expect(await getSsoStatus(admin.teamId)).toBeNull();
  });

  it("refuses a tenant bound to another team, and audits the attempt", async () => {
    const first = await adminOf("First");
    const second = await adminOf("Second");
    const tid = guid();
    await completeSsoActivation((await startSsoActivation(first)).token, identity(tid));
    expect(await reasonOf(completeSsoActivation((await startSsoActivation(second)).token, identity(tid)))).toBe("tenant_bound_elsewhere");
    expect(await getSsoStatus(second.teamId)).toBeNull();
    const prisma = await getDb();
    const audit = await prisma.auditEvent.findMany({ where: { teamId: second.teamId, action: "sso.activate" } });
    expect(audit.map((a) => [a.outcome, a.details])).toEqual([["failure", { reason: "tenant_bound_elsewhere" }]]);
  });

  it("expires pending activations and refuses Users and demoted admins", async () => {
    const admin = await adminOf("Slow");
    const started = new Date("2030-01-01T00:00:00Z");
    const { token } = await startSsoActivation(admin, started);
    expect(await reasonOf(completeSsoActivation(token, identity(guid()), { now: new Date("2030-01-01T00:11:00Z") }))).toBe("expired");

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
    expect(await getSsoStatus(admin.teamId)).toMatchObject({ active: false, tenantId: tid, deactivatedAt: expect.any(String) });
    await expect(deactivateSso(admin)).rejects.toMatchObject({ code: "conflict" });
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    expect(await getSsoStatus(admin.teamId)).toMatchObject({ active: true, deactivatedAt: null });
  });
});

describe("member sign-in", () => {
  it("links a provisioned member by userName on first sign-in, then only by oid; never by email", async () => {
    const admin = await adminOf("Members");
    const tid = guid();
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    const prisma = await getDb();
    const alice = await prisma.user.create({ data: { teamId: admin.teamId, name: "Alice", email: "alice@contoso.com", userName: "Alice@Contoso.onmicrosoft.com" } });

    const aliceOid = guid();
    expect(await resolveSsoMember({ tid, oid: aliceOid, preferredUsername: "alice@contoso.onmicrosoft.com", name: "Alice" })).toEqual({ ok: true, userId: alice.id });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: alice.id } })).entraObjectId).toBe(aliceOid);
    // Pinned: another oid with the same UPN (a recycled or forged name) is not Alice.
    expect(await resolveSsoMember({ tid, oid: guid(), preferredUsername: "alice@contoso.onmicrosoft.com", name: "Eve" })).toEqual({ ok: false, reason: "not_provisioned" });
    // Alice renamed in Entra still signs in by oid.
    expect(await resolveSsoMember({ tid, oid: aliceOid, preferredUsername: "alice.smith@contoso.onmicrosoft.com", name: "Alice" })).toEqual({ ok: true, userId: alice.id });
    // The email address of a member is never a key.
    expect(await resolveSsoMember({ tid, oid: guid(), preferredUsername: "alice@contoso.com", name: "Mallory" })).toEqual({ ok: false, reason: "not_provisioned" });
  });

  it("refuses disabled members, tenants not connected, and deactivated SSO", async () => {
    const admin = await adminOf("Refusals");
    const tid = guid();
    expect(await resolveSsoMember(identity(tid))).toEqual({ ok: false, reason: "tenant_not_connected" });
    await completeSsoActivation((await startSsoActivation(admin)).token, identity(tid));
    const prisma = await getDb();
    await prisma.user.create({ data: { teamId: admin.teamId, name: "Dave", email: "d@x", userName: "dave@refusals.onmicrosoft.com", active: false } });
    expect(await resolveSsoMember(identity(tid, { preferredUsername: "dave@refusals.onmicrosoft.com" }))).toEqual({ ok: false, reason: "disabled" });
    await prisma.user.create({ data: { teamId: admin.teamId, name: "Erin", email: "e@x", userName: "erin@refusals.onmicrosoft.com" } });
    await deactivateSso(admin);
    expect(await resolveSsoMember(identity(tid, { preferredUsername: "erin@refusals.onmicrosoft.com" }))).toEqual({ ok: false, reason: "tenant_not_connected" });
  });
});
