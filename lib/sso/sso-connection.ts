import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
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
