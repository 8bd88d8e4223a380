import { createHash, randomBytes } from "node:crypto";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import type { EntraIdentity } from "../entra/verify-id-token";
import { AppError, isUniqueViolation } from "../errors";

export const ACTIVATION_TTL_MS = 10 * 60 * 1000;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * "Activate": remembers which Administrator of which team started the consent round-trip. The
 * browser keeps the random value (httpOnly cookie); only its hash is stored.
 */
export async function startSsoActivation(actor: SessionUser, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only team Administrators can activate single sign-on.");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ACTIVATION_TTL_MS);
  const db = await getDb();
  await db.ssoActivation.create({ data: { tokenHash: hash(token), teamId: actor.teamId, userId: actor.id, expiresAt } });
  return { token, expiresAt };
}

export type ActivationFailure = "expired" | "not_admin" | "tenant_bound_elsewhere" | "tenant_mismatch";

export class SsoActivationError extends Error {
  override name = "SsoActivationError";
  constructor(
    readonly reason: ActivationFailure,
    message: string,
    readonly teamId?: string,
    readonly actorUserId?: string,
  ) {
    super(message);
  }
}

/** Marks a pending activation used and returns who started it, or null when unknown/used/expired. */
async function claimActivation(token: string, now: Date) {
  const db = await getDb();
  const activation = await db.ssoActivation.findUnique({ where: { tokenHash: hash(token) } });
  if (!activation || activation.usedAt || activation.expiresAt <= now) return null;
  // Single use even under a replayed callback: only one request can flip usedAt.
  const { count } = await db.ssoActivation.updateMany({ where: { id: activation.id, usedAt: null }, data: { usedAt: now } });
  return count === 1 ? activation : null;
}

/**
 * Completes activation after Entra's consent: binds the team to the tenant of the *validated*
 * id_token. `callbackTenant` (the unsigned `tenant` parameter of an admin-consent callback, if
 * any) must equal that tid; it is never trusted on its own (contract C.2).
 */
export async function completeSsoActivation(
  activationToken: string,
  identity: EntraIdentity,
  options: { callbackTenant?: string | null; now?: Date } = {},
): Promise<{ teamId: string; tenantId: string }> {
  const now = options.now ?? new Date();
  const activation = await claimActivation(activationToken, now);
  if (!activation) throw new SsoActivationError("expired", "This activation link has expired or was already used. Start again from Settings.");
  const { teamId, userId } = activation;
  const fail = async (reason: ActivationFailure, message: string): Promise<never> => {
    await recordActivationFailure(teamId, userId, reason, identity.tid);
    throw new SsoActivationError(reason, message, teamId, userId);
  };
  if (options.callbackTenant && options.callbackTenant.toLowerCase() !== identity.tid) {
    return fail("tenant_mismatch", "The tenant in Microsoft's answer does not match the account you signed in with. Nothing was changed.");
  }
  const db = await getDb();
  const admin = await db.user.findFirst({ where: { id: userId, teamId, role: "ADMIN", active: true }, select: { name: true } });
  if (!admin) return fail("not_admin", "Only team Administrators can activate single sign-on.");

  const boundElsewhere = await db.ssoConnection.findFirst({ where: { tenantId: identity.tid, NOT: { teamId } }, select: { teamId: true } });
  const boundMessage = "This Microsoft Entra tenant is already connected to another Storegate team. Nothing was changed.";
  if (boundElsewhere) return fail("tenant_bound_elsewhere", boundMessage);

  const domain = identity.preferredUsername?.split("@")[1]?.toLowerCase() ?? null;
  try {
    await db.$transaction(async (tx) => {
      const data = { tenantId: identity.tid, tenantDomain: domain, active: true, activatedById: userId, activatedByName: admin.name, activatedAt: now, deactivatedAt: null };
      await tx.ssoConnection.upsert({ where: { teamId }, create: { teamId, ...data }, update: data });
      await tx.auditEvent.create({
        data: { teamId, actorUserId: userId, action: "sso.activate", targetType: "entra_tenant", targetId: identity.tid, outcome: "success", details: { tenantDomain: domain, signedInAs: identity.preferredUsername } },
      });
    });
  } catch (error) {
    // Two teams racing for one tenant: the unique index decides.
    if (isUniqueViolation(error)) return fail("tenant_bound_elsewhere", boundMessage);
    throw error;
  }
  return { teamId, tenantId: identity.tid };
}

/** Cancel or error at Entra: the pending activation is spent and the attempt audited; nothing bound. */
export async function abandonSsoActivation(activationToken: string, error: string, now = new Date()): Promise<void> {
  const activation = await claimActivation(activationToken, now);
  if (activation) await recordActivationFailure(activation.teamId, activation.userId, error, null);
}

async function recordActivationFailure(teamId: string, userId: string, reason: string, tenantId: string | null) {
  const db = await getDb();
  await db.auditEvent.create({
    data: { teamId, actorUserId: userId, action: "sso.activate", targetType: "entra_tenant", targetId: tenantId, outcome: "failure", details: { reason } },
  });
}
