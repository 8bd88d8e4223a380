import { isGuid } from "../guid";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { MSA_TENANT_ID } from "../entra/verify-id-token";
import { AppError } from "../errors";

export type SsoStatus = {
  active: boolean;
  tenantId: string;
  tenantName: string | null;
  tenantDomain: string | null;
  activatedByName: string;
  activatedAt: string;
  consentedByName: string | null;
  consentedByUpn: string | null;
  deactivatedAt: string | null;
} | null;

export async function getSsoStatus(teamId: string): Promise<SsoStatus> {
  const db = await getDb();
  const c = await db.ssoConnection.findUnique({ where: { teamId } });
  if (!c) return null;
  return {
    active: c.active,
    tenantId: c.tenantId,
    tenantName: c.tenantName,
    tenantDomain: c.tenantDomain,
    activatedByName: c.activatedByName,
    activatedAt: c.activatedAt.toISOString(),
    consentedByName: c.consentedByName,
    consentedByUpn: c.consentedByUpn,
    deactivatedAt: c.deactivatedAt?.toISOString() ?? null,
  };
}

type Tx = Parameters<Parameters<Awaited<ReturnType<typeof getDb>>["$transaction"]>[0]>[0];

/** Ends every session of the team that was started with "Sign in with Microsoft"; password sessions stay. */
async function endMicrosoftSessions(tx: Tx, teamId: string, now: Date): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { method: "ENTRA", revokedAt: null, user: { teamId } },
    data: { revokedAt: now },
  });
  return count;
}

/**
 * Turns single sign-on off: members can no longer sign in with Microsoft, everyone signed in with
 * Microsoft is signed out at once, and SCIM tokens stop working until it is activated again. The
 * tenant binding is kept for re-activation; Administrators' password sessions stay.
 */
export async function deactivateSso(actor: SessionUser, now = new Date()): Promise<void> {
  if (actor.role !== "ADMIN")
    throw new AppError("forbidden", "Only team Administrators can deactivate single sign-on.");
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const { count } = await tx.ssoConnection.updateMany({
      where: { teamId: actor.teamId, active: true },
      data: { active: false, deactivatedAt: now },
    });
    if (count === 0) throw new AppError("conflict", "Single sign-on is not active.");
    const c = await tx.ssoConnection.findUniqueOrThrow({
      where: { teamId: actor.teamId },
      select: { tenantId: true, tenantName: true, tenantDomain: true },
    });
    const sessionsEnded = await endMicrosoftSessions(tx, actor.teamId, now);
    await recordAuditEvent(
      {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "sso.deactivate",
        targetType: "entra_tenant",
        targetId: c.tenantId,
        outcome: "success",
        details: { tenantName: c.tenantName, tenantDomain: c.tenantDomain, sessionsEnded },
      },
      tx,
    );
  });
}

export type DisconnectResult = {
  tenantId: string;
  tokensRevoked: number;
  sessionsEnded: number;
  membersUnlinked: number;
};

/**
 * "Disconnect tenant": the only way to change the tenant a team is bound to. In one transaction it
 * revokes every SCIM token (for good, not suspended), ends the sessions of everyone who signed in
 * with Microsoft, clears the pinned Entra object ids (they mean nothing in another tenant) and
 * deletes the binding. Members, their groups and their data stay. `expectedTenantId` is the tenant
 * the Administrator confirmed, so a stale page cannot disconnect a tenant they did not see.
 */
export async function disconnectSsoTenant(
  actor: SessionUser,
  expectedTenantId: unknown,
  now = new Date(),
): Promise<DisconnectResult> {
  if (actor.role !== "ADMIN")
    throw new AppError("forbidden", "Only team Administrators can disconnect the Microsoft Entra tenant.");
  if (typeof expectedTenantId !== "string" || expectedTenantId === "") {
    throw new AppError("validation", "Confirm which tenant to disconnect.", {
      tenantId: "Required: the tenant ID shown on the page.",
    });
  }
  const db = await getDb();
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${actor.teamId} FOR UPDATE`;
    const c = await tx.ssoConnection.findUnique({
      where: { teamId: actor.teamId },
      select: { tenantId: true, tenantDomain: true, tenantName: true },
    });
    if (!c) throw new AppError("conflict", "This team is not connected to a Microsoft Entra tenant.");
    if (c.tenantId !== expectedTenantId.toLowerCase())
      throw new AppError(
        "conflict",
        "The team is connected to a different tenant than the one you confirmed. Reload the page and try again.",
      );
    const { count: tokensRevoked } = await tx.scimToken.updateMany({
      where: { teamId: actor.teamId, revokedAt: null },
      data: { revokedAt: now, revokedById: actor.id },
    });
    const sessionsEnded = await endMicrosoftSessions(tx, actor.teamId, now);
    const { count: membersUnlinked } = await tx.user.updateMany({
      where: { teamId: actor.teamId, entraObjectId: { not: null } },
      data: { entraObjectId: null },
    });
    await tx.ssoConnection.delete({ where: { teamId: actor.teamId } });
    await recordAuditEvent(
      {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "sso.disconnect",
        targetType: "entra_tenant",
        targetId: c.tenantId,
        outcome: "success",
        details: {
          tenantName: c.tenantName,
          tenantDomain: c.tenantDomain,
          tokensRevoked,
          sessionsEnded,
          membersUnlinked,
        },
      },
      tx,
    );
    return { tenantId: c.tenantId, tokensRevoked, sessionsEnded, membersUnlinked };
  });
}

/** Operations (CLI): bind a team to an Entra tenant without the consent round-trip. */
export async function bindSsoTenantForOperations(teamId: string, tenantId: string, now = new Date()): Promise<void> {
  const tid = tenantId.toLowerCase();
  if (!isGuid(tid))
    throw new AppError("validation", "The Entra tenant id must be a GUID.", {
      entraTenant: "Use the Directory (tenant) ID, a GUID.",
    });
  if (tid === MSA_TENANT_ID)
    throw new AppError("validation", "The personal Microsoft account tenant cannot be bound.", {
      entraTenant: "Use a work or school tenant.",
    });
  const db = await getDb();
  const other = await db.ssoConnection.findFirst({
    where: { tenantId: tid, NOT: { teamId } },
    select: { teamId: true },
  });
  if (other)
    throw new AppError("conflict", "This Microsoft Entra tenant is already connected to another Storegate team.");
  const own = await db.ssoConnection.findUnique({ where: { teamId }, select: { tenantId: true } });
  if (own && own.tenantId !== tid)
    throw new AppError("conflict", "This team is connected to another Microsoft Entra tenant; disconnect it first.");
  const data = {
    tenantId: tid,
    active: true,
    activatedById: null,
    activatedByName: "Operations CLI",
    activatedAt: now,
    deactivatedAt: null,
  };
  await db.$transaction(async (tx) => {
    await tx.ssoConnection.upsert({ where: { teamId }, create: { teamId, ...data }, update: data });
    await recordAuditEvent(
      {
        teamId,
        actorUserId: null,
        action: "sso.activate",
        targetType: "entra_tenant",
        targetId: tid,
        outcome: "success",
        details: { via: "cli" },
      },
      tx,
    );
  });
}
