// Readable outcomes for the consent round-trip and for member sign-in. Keys are our own reasons,
// EntraTokenProblem values, and the OAuth error codes Entra redirects with ("Microsoft identity
// platform and OAuth 2.0 authorization code flow", error codes).
const MESSAGES: Record<string, string> = {
  activated:
    "Single sign-on is active. Members of your Microsoft Entra tenant who are provisioned to Storegate can now sign in with their work account.",
  access_denied:
    "Consent was cancelled in Microsoft Entra ID, so single sign-on was not activated. Nothing was changed.",
  consent_required:
    "Your Microsoft Entra tenant requires an administrator's consent. Sign in with an account that can consent for your organization (Cloud Application Administrator or higher). Nothing was changed.",
  interaction_required: "Microsoft Entra ID needs you to sign in again. Nothing was changed.",
  expired: "This activation has expired or was already used. Click Activate to start again.",
  not_admin: "Only team Administrators can activate single sign-on.",
  not_entra_admin:
    "Only an administrator of your Microsoft Entra tenant can activate single sign-on. Ask your Entra administrator to sign in here.",
  tenant_bound_elsewhere:
    "This Microsoft Entra tenant is already connected to another Storegate team. Nothing was changed.",
  tenant_mismatch:
    "The tenant in Microsoft's answer does not match the account you signed in with. Nothing was changed.",
  personal_account: "Personal Microsoft accounts cannot be used. Sign in with your work or school account.",
  tenant_not_connected:
    "Your organization has not connected Storegate to Microsoft Entra ID, or single sign-on is turned off. Ask your Storegate Administrator.",
  not_provisioned:
    "Your account has not been provisioned to Storegate. Ask your administrator to assign you to the Storegate application in Microsoft Entra ID.",
  disabled: "Your Storegate account is disabled. Ask your administrator.",
};

/** `boundTenant` names the tenant the team is connected to, for the refusal to switch tenants. */
export function ssoMessage(
  code: string | undefined | null,
  context: { boundTenant?: string | null } = {},
): string | null {
  if (!code) return null;
  if (code === "tenant_change_requires_disconnect") {
    return `This team is connected to the Microsoft Entra tenant ${context.boundTenant ?? "it was activated with"}. To use another tenant, disconnect that one first (Disconnect tenant). Nothing was changed.`;
  }
  return (
    MESSAGES[code] ??
    `Microsoft sign-in did not complete (${code.replace(/[^a-z_]/gi, "").slice(0, 64)}). Nothing was changed. Try again, or contact support if it keeps happening.`
  );
}
