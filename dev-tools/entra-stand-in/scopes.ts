import { OIDC_SCOPES, type FixtureClient } from "./fixture";

const GRAPH = "https://graph.microsoft.com/";
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000/";

export type ScopeResult = { ok: true; scopes: string[] } | { ok: false; description: string };

/**
 * Normalises a requested `scope` the way the v2 endpoint does (v2-permissions-and-consent): OIDC
 * scopes stay bare, a permission without a resource means Microsoft Graph (`User.Read` ->
 * `https://graph.microsoft.com/User.Read`), and `/.default` means the app registration's static
 * permissions. Only Graph is known here; Entra issues tokens for one resource per request.
 */
export function normalizeScopes(raw: string, client: FixtureClient): ScopeResult {
  const out = new Set<string>();
  for (const token of raw.split(/\s+/).filter(Boolean)) {
    const lower = token.toLowerCase();
    if ((OIDC_SCOPES as readonly string[]).includes(lower)) {
      out.add(lower);
      continue;
    }
    let permission: string;
    if (lower.startsWith(GRAPH)) permission = token.slice(GRAPH.length);
    else if (lower.startsWith(GRAPH_APP_ID)) permission = token.slice(GRAPH_APP_ID.length);
    else if (token.includes("/") || token.includes(":")) {
      return {
        ok: false,
        description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope '${token}' names a resource the stand-in does not know (only Microsoft Graph).`,
      };
    } else permission = token;
    if (permission === ".default") {
      for (const p of normalizeStatic(client)) out.add(p);
      continue;
    }
    if (!/^[A-Za-z][\w.-]*$/.test(permission)) {
      return {
        ok: false,
        description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope '${token}' is not valid.`,
      };
    }
    out.add(GRAPH + permission);
  }
  return { ok: true, scopes: [...out] };
}

function normalizeStatic(client: FixtureClient): string[] {
  const result = normalizeScopes(client.permissions.filter((p) => !p.endsWith("/.default")).join(" "), client);
  return result.ok ? result.scopes : [];
}

export function staticPermissions(client: FixtureClient): string[] {
  return normalizeStatic(client);
}

/** The `scope` value of a token response: Entra lists OIDC scopes bare and Graph ones qualified. */
export function formatGrantedScope(scopes: string[]): string {
  // No refresh token is issued (authorization_code grant only), so offline_access is not reported as granted.
  return scopes.filter((s) => s !== "offline_access").join(" ");
}

const DESCRIPTIONS: Record<string, string> = {
  openid: "Sign you in",
  profile: "View your basic profile",
  email: "View your email address",
  offline_access: "Maintain access to data you have given it access to",
  [`${GRAPH}User.Read`]: "Sign you in and read your profile",
};

export function describeScope(scope: string): { name: string; description: string } {
  const name = scope.startsWith(GRAPH) ? scope.slice(GRAPH.length) : scope;
  return { name, description: DESCRIPTIONS[scope] ?? `Access ${name} in Microsoft Graph on your behalf` };
}

export function coversScopes(granted: ReadonlySet<string> | undefined, requested: string[]): boolean {
  return granted !== undefined && requested.every((s) => granted.has(s));
}
