import { getDb } from "../db";
import type { EntraIdentity } from "../entra/verify-id-token";
import { uniquenessKey } from "../scim/store";

export type MemberSignIn =
  { ok: true; userId: string } | { ok: false; reason: "tenant_not_connected" | "not_provisioned" | "disabled" };

/**
 * Finds the Storegate member behind a validated Entra sign-in: the team by the token's `tid`
 * (only tenants an Administrator connected), the member by (`tid`, `oid`). On a member's first
 * sign-in, a provisioned member whose SCIM userName equals the token's preferred_username is
 * linked and its `oid` pinned. Never by email, never creating anyone (nOAuth; “Migrate away from using email claims”).
 */
export async function resolveSsoMember(identity: EntraIdentity): Promise<MemberSignIn> {
  const db = await getDb();
  const connection = await db.ssoConnection.findUnique({
    where: { tenantId: identity.tid },
    select: { teamId: true, active: true },
  });
  if (!connection?.active) return { ok: false, reason: "tenant_not_connected" };
  const teamId = connection.teamId;

  let user = await db.user.findUnique({
    where: { teamId_entraObjectId: { teamId, entraObjectId: identity.oid } },
    select: { id: true, active: true },
  });
  if (!user && identity.preferredUsername) {
    const wanted = uniquenessKey(identity.preferredUsername);
    const candidates = await db.user.findMany({
      where: { teamId, entraObjectId: null, userName: { equals: identity.preferredUsername, mode: "insensitive" } },
      select: { id: true, active: true, userName: true },
      take: 2,
    });
    const match = candidates.filter((c) => c.userName && uniquenessKey(c.userName) === wanted);
    if (match.length === 1 && match[0]) {
      // Pin only if still unpinned, so two first sign-ins cannot both claim the member.
      const { count } = await db.user.updateMany({
        where: { id: match[0].id, entraObjectId: null },
        data: { entraObjectId: identity.oid },
      });
      if (count === 1) user = { id: match[0].id, active: match[0].active };
    }
  }
  if (!user) return { ok: false, reason: "not_provisioned" };
  if (!user.active) return { ok: false, reason: "disabled" };
  return { ok: true, userId: user.id };
}
