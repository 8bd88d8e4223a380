import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { MSA_TENANT_ID } from "../entra/verify-id-token";
import { AppError } from "../errors";

export type SsoStatus = {
  active: boolean;
  tenantId: string;
  tenantDomain: string | null;
  activatedByName: string;
  activatedAt: string;
  deactivatedAt: string | null;
} | null;

export async function getSsoStatus(teamId: string): Promise<SsoStatus> {
  const db = await getDb();
  const c = await db.ssoConnection.findUnique({ where: { teamId } });
  if (!c) return null;
  return {
    active: c.active,
    tenantId: c.tenantId,
    tenantDomain: c.tenantDomain,
    activatedByName: c.activatedByName,
    activatedAt: c.activatedAt.toISOString(),
    deactivatedAt: c.deactivatedAt?.toISOString() ?? null,
  };
}

/**
 * Turns single sign-on off: members can no longer sign in with Microsoft and SCIM tokens stop
 * working until it is activated again. The tenant binding is kept for re-activation.
 */
export async function deactivateSso(actor: SessionUser, now = new Date()): Promise<void> {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only team Administrators can deactivate single sign-on.");
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const { count } = await tx.ssoConnection.updateMany({ where: { teamId: actor.teamId, active: true }, data: { active: false, deactivatedAt: now } });
    if (count === 0) throw new AppError("conflict", "Single sign-on is not active.");
    const c = await tx.ssoConnection.findUniqueOrThrow({ where: { teamId: actor.teamId }, select: { tenantId: true } });
    await tx.auditEvent.create({ data: { teamId: actor.teamId, actorUserId: actor.id, action: "sso.deactivate", targetType: "entra_tenant", targetId: c.tenantId, outcome: "success" } });
  });
}

/** Operations (CLI): bind a team to an Entra tenant without the consent round-trip. */
export async function bindSsoTenantForOperations(teamId: string, tenantId: string, now = new Date()): Promise<void> {
  const tid = tenantId.toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(tid)) throw new AppError("validation", "The Entra tenant id must be a GUID.", { entraTenant: "Use the Directory (tenant) ID, a GUID." });
  if (tid === MSA_TENANT_ID) throw new AppError("validation", "The personal Microsoft account tenant cannot be bound.", { entraTenant: "Use a work or school tenant." });
  const db = await getDb();
  const other = await db.ssoConnection.findFirst({ where: { tenantId: tid, NOT: { teamId } }, select: { teamId: true } });
  if (other) throw new AppError("conflict", "This Microsoft Entra tenant is already connected to another Storegate team.");
  const data = { tenantId: tid, active: true, activatedById: null, activatedByName: "Operations CLI", activatedAt: now, deactivatedAt: null };
  await db.$transaction([
    db.ssoConnection.upsert({ where: { teamId }, create: { teamId, ...data }, update: data }),
    db.auditEvent.create({ data: { teamId, actorUserId: null, action: "sso.activate", targetType: "entra_tenant", targetId: tid, outcome: "success", details: { via: "cli" } } }),
  ]);
}
