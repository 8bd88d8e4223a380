import { createHash, randomBytes } from "node:crypto";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { proveTenantAdministrator } from "../entra/admin-proof";
import type { TenantProfile } from "../entra/fetch-tenant-profile";
import type { EntraIdentity } from "../entra/verify-id-token";
import { AppError, isUniqueViolation } from "../errors";

export const ACTIVATION_TTL_MS = 10 * 60 * 1000;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * "Activate": remembers which Administrator of which team started the consent round-trip. The
 * browser keeps the random value (httpOnly cookie); only its hash is stored.
 */
export async function startSsoActivation(
  actor: SessionUser,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  if (actor.role !== "ADMIN") throw new AppError("forbidden", "Only team Administrators can activate single sign-on.");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ACTIVATION_TTL_MS);
  const db = await getDb();
  await db.ssoActivation.create({
    data: { tokenHash: hash(token), teamId: actor.teamId, userId: actor.id, expiresAt },
  });
  return { token, expiresAt };
}

export type ActivationFailure =
  | "expired"
  | "not_admin"
  | "not_entra_admin"
  | "tenant_bound_elsewhere"
  | "tenant_mismatch"
  | "tenant_change_requires_disconnect";

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
  const { count } = await db.ssoActivation.updateMany({
    where: { id: activation.id, usedAt: null },
    data: { usedAt: now },
  });
  return count === 1 ? activation : null;
}

const BOUND_ELSEWHERE =
  "This Microsoft Entra tenant is already connected to another Storegate team. Nothing was changed.";

/**
 * Completes activation after Entra's consent. The team is bound to the tenant of the *validated*
 * id_token, and only when that token proves its account holds a directory role that can grant
 * tenant-wide consent: a successful sign-in alone is no proof, because an ordinary user can
 * consent for themselves ("Grant tenant-wide admin consent to an application"). A team already
 * bound to a tenant stays bound to it: another tenant is refused until the Administrator
 * disconnects explicitly. `callbackTenant` (the unsigned `tenant` parameter of an admin-consent
 * callback, if any) must equal that tid and is never trusted on its own.
 */
export async function completeSsoActivation(
  activationToken: string,
  identity: EntraIdentity,
  options: { callbackTenant?: string | null; now?: Date; loadTenantProfile?: () => Promise<TenantProfile> } = {},
): Promise<{ teamId: string; tenantId: string }> {
  const now = options.now ?? new Date();
  const activation = await claimActivation(activationToken, now);
  if (!activation)
    throw new SsoActivationError(
      "expired",
      "This activation link has expired or was already used. Start again from Settings.",
    );
  const { teamId, userId } = activation;
  const entraAccount = { entraUpn: identity.preferredUsername, entraName: identity.name, entraObjectId: identity.oid };
  const fail = async (reason: ActivationFailure, message: string): Promise<never> => {
    await recordAuditEvent({
      teamId,
      actorUserId: userId,
      action: "sso.activate",
      targetType: "entra_tenant",
      targetId: identity.tid,
      outcome: "failure",
      details: { reason, ...entraAccount },
    });
    throw new SsoActivationError(reason, message, teamId, userId);
  };
  if (options.callbackTenant && options.callbackTenant.toLowerCase() !== identity.tid) {
    return fail(
      "tenant_mismatch",
      "The tenant in Microsoft's answer does not match the account you signed in with. Nothing was changed.",
    );
  }
  const db = await getDb();
  const admin = await db.user.findFirst({
    where: { id: userId, teamId, role: "ADMIN", active: true },
    select: { name: true },
  });
  if (!admin) return fail("not_admin", "Only team Administrators can activate single sign-on.");
  const proof = proveTenantAdministrator(identity, identity.tid);
  if (!proof.ok)
    return fail("not_entra_admin", "Only an administrator of your Microsoft Entra tenant can activate single sign-on.");

  const boundElsewhere = await db.ssoConnection.findFirst({
    where: { tenantId: identity.tid, NOT: { teamId } },
    select: { teamId: true },
  });
  if (boundElsewhere) return fail("tenant_bound_elsewhere", BOUND_ELSEWHERE);

  const profile = (await options.loadTenantProfile?.()) ?? { name: null, domain: null };
  const domain = profile.domain ?? identity.preferredUsername?.split("@")[1]?.toLowerCase() ?? null;
  let refused: ActivationFailure | null = null;
  try {
    await db.$transaction(async (tx) => {
      // Serialises activations of one team: two admins finishing at once with different tenants
      // must not both see "not bound yet" and overwrite each other.
      await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${teamId} FOR UPDATE`;
      const current = await tx.ssoConnection.findUnique({ where: { teamId }, select: { tenantId: true } });
      if (current && current.tenantId !== identity.tid) {
        refused = "tenant_change_requires_disconnect";
        return;
      }
      const data = {
        tenantId: identity.tid,
        tenantName: profile.name,
        tenantDomain: domain,
        active: true,
        activatedById: userId,
        activatedByName: admin.name,
        activatedAt: now,
        consentedByName: identity.name,
        consentedByUpn: identity.preferredUsername,
        consentedByOid: identity.oid,
        deactivatedAt: null,
      };
      await tx.ssoConnection.upsert({ where: { teamId }, create: { teamId, ...data }, update: data });
      await recordAuditEvent(
        {
          teamId,
          actorUserId: userId,
          action: "sso.activate",
          targetType: "entra_tenant",
          targetId: identity.tid,
          outcome: "success",
          details: { tenantName: profile.name, tenantDomain: domain, entraRole: proof.role, ...entraAccount },
        },
        tx,
      );
    });
  } catch (error) {
    // Two teams racing for one tenant: the unique index decides.
    if (isUniqueViolation(error)) return fail("tenant_bound_elsewhere", BOUND_ELSEWHERE);
    throw error;
  }
  if (refused)
    return fail(
      refused,
      "This team is connected to another Microsoft Entra tenant. Disconnect it first. Nothing was changed.",
    );
  return { teamId, tenantId: identity.tid };
}

/** Cancel or error at Entra: the pending activation is spent and the attempt audited; nothing bound. */
export async function abandonSsoActivation(activationToken: string, error: string, now = new Date()): Promise<void> {
  const activation = await claimActivation(activationToken, now);
  if (activation) {
    await recordAuditEvent({
      teamId: activation.teamId,
      actorUserId: activation.userId,
      action: "sso.activate",
      targetType: "entra_tenant",
      targetId: null,
      outcome: "failure",
      details: { reason: error },
    });
  }
}
