import type { EntraIdentity } from "./verify-id-token";

/**
 * Built-in Microsoft Entra role templates whose holders can grant tenant-wide (admin) consent to a
 * multi-tenant application ("Microsoft Entra built-in roles"; "Grant tenant-wide admin consent to
 * an application", prerequisites). The ids are the same in every tenant.
 */
export const CONSENT_ADMIN_ROLES = {
  "62e90394-69f5-4237-9190-012177145e10": "Global Administrator",
  "e8611ab8-c189-46e8-94e1-60213ab1f814": "Privileged Role Administrator",
  "158c047a-c907-4556-b7ef-446551a6b5f7": "Cloud Application Administrator",
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3": "Application Administrator",
} as const;

export type AdminProof = { ok: true; role: string } | { ok: false };

/**
 * Whether a validated id_token proves that its account may connect `tenantId`: the token was issued
 * by that tenant and its `wids` claim (the tenant-wide directory role templates of the signed-in
 * user, emitted when the app registration's groupMembershipClaims includes directory roles) holds a
 * consent-capable role. A missing or empty claim is no proof. The claim comes only from a token
 * whose signature, issuer and audience were checked, never from the browser.
 */
export function proveTenantAdministrator(identity: EntraIdentity, tenantId: string): AdminProof {
  if (identity.tid !== tenantId.toLowerCase()) return { ok: false };
  for (const id of identity.roleTemplateIds) {
    const role = CONSENT_ADMIN_ROLES[id as keyof typeof CONSENT_ADMIN_ROLES];
    if (role) return { ok: true, role };
  }
  return { ok: false };
}
