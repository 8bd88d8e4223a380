import { cookies } from "next/headers";
import { createSession } from "../auth/sessions";
import { getEnv } from "../env";
import { fetchTenantProfile } from "../entra/fetch-tenant-profile";
import { EntraTokenError, verifyEntraIdToken } from "../entra/verify-id-token";
import { abandonSsoActivation, completeSsoActivation, SsoActivationError } from "./activation";
import { resolveSsoMember } from "./resolve-member";

export const ACTIVATION_COOKIE = "sg-sso-activation";
export const SETTINGS_PATH = "/settings/team/settings";
export const SSO_REFUSED_PATH = "/login/sso";

const settingsWith = (param: "sso" | "sso_error", value: string) =>
  `${SETTINGS_PATH}?${param}=${encodeURIComponent(value)}`;

async function takeActivationCookie(): Promise<string | undefined> {
  const jar = await cookies();
  const value = jar.get(ACTIVATION_COOKIE)?.value;
  if (value) jar.delete({ name: ACTIVATION_COOKIE, path: "/" });
  return value;
}

/**
 * next-auth `signIn` callback for Microsoft Entra ID. Returns true to sign a member in (after
 * attaching a server-side session id to `user`), or a path to redirect to without touching the
 * browser's current session: an Administrator's consent round-trip ends here, back on Settings,
 * still signed in as themselves.
 */
export async function handleEntraSignIn(
  idToken: string | undefined,
  user: { sid?: string },
  accessToken?: string,
): Promise<true | string> {
  const entra = getEnv().entra;
  const activationToken = await takeActivationCookie();
  if (entra.mode === "off" || !idToken)
    return activationToken ? settingsWith("sso_error", "invalid_token") : `${SSO_REFUSED_PATH}?error=invalid_token`;

  let identity;
  try {
    identity = await verifyEntraIdToken(idToken, { authority: entra.authority, clientId: entra.clientId });
  } catch (error) {
    if (!(error instanceof EntraTokenError)) throw error;
    if (activationToken) {
      await abandonSsoActivation(activationToken, error.problem);
      return settingsWith("sso_error", error.problem);
    }
    return `${SSO_REFUSED_PATH}?error=${error.problem}`;
  }

  if (activationToken) {
    try {
      await completeSsoActivation(activationToken, identity, {
        loadTenantProfile: () => fetchTenantProfile(entra.graphUrl, accessToken, identity.tid),
      });
      return settingsWith("sso", "activated");
    } catch (error) {
      if (error instanceof SsoActivationError) return settingsWith("sso_error", error.reason);
      throw error;
    }
  }

  const member = await resolveSsoMember(identity);
  if (!member.ok) return `${SSO_REFUSED_PATH}?error=${member.reason}`;
  user.sid = await createSession(member.userId, "ENTRA");
  return true;
}

/**
 * Entra redirected back with `error` (the admin cancelled consent, consent_required, …): next-auth
 * would only say "OAuthCallbackError", so the route answers first with a readable outcome.
 */
export async function handleEntraCallbackError(request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  if (!url.pathname.endsWith("/callback/microsoft-entra-id")) return null;
  const error = url.searchParams.get("error");
  if (!error) return null;
  const code = /^[a-z_]{1,64}$/.test(error) ? error : "invalid_request";
  const activationToken = await takeActivationCookie();
  const base = getEnv().appUrl;
  if (activationToken) {
    await abandonSsoActivation(activationToken, code);
    return Response.redirect(`${base}${settingsWith("sso_error", code)}`, 303);
  }
  return Response.redirect(`${base}${SSO_REFUSED_PATH}?error=${code}`, 303);
}
