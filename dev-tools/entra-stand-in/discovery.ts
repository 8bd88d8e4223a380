import { MSA_TENANT_ID } from "./fixture";
import { json, type StandInContext, type StandInResponse } from "./http";
import type { TenantSegment } from "./segments";
import { getSigningKey } from "./signing-key";
import { buildTenantIssuer } from "./tokens";

const CACHE = { "cache-control": "max-age=86400, private", "access-control-allow-origin": "*" };

/**
 * The issuer a segment's metadata announces (access-tokens, "Validate the issuer"): the
 * tenant-independent endpoints publish the template `.../{tenantid}/v2.0`; `consumers` and a
 * tenant publish their own exact issuer.
 */
export function buildSegmentIssuer(baseUrl: string, segment: TenantSegment): string {
  switch (segment.kind) {
    case "common":
    case "organizations":
      return `${baseUrl}/{tenantid}/v2.0`;
    case "consumers":
      return buildTenantIssuer(baseUrl, MSA_TENANT_ID);
    case "tenant":
      return buildTenantIssuer(baseUrl, segment.tenant.tid);
  }
}

export function serveOpenIdConfiguration(ctx: StandInContext, segment: TenantSegment): StandInResponse {
  const base = `${ctx.baseUrl}/${segment.path}`;
  return json(
    200,
    {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: buildSegmentIssuer(ctx.baseUrl, segment),
      request_uri_parameter_supported: false,
      // Entra points at https://graph.microsoft.com/oidc/userinfo; here the stand-in answers it.
      // next-auth refuses metadata without a userinfo_endpoint even when it never calls it.
      userinfo_endpoint: `${ctx.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      code_challenge_methods_supported: ["S256"],
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "nbf",
        "nonce",
        "preferred_username",
        "name",
        "tid",
        "oid",
        "ver",
        "email",
      ],
      tenant_region_scope: segment.kind === "tenant" ? "EU" : null,
      cloud_instance_name: "localhost",
      msgraph_host: "graph.microsoft.com",
    },
    CACHE,
  );
}

export async function serveJwks(ctx: StandInContext, segment: TenantSegment): Promise<StandInResponse> {
  const key = await getSigningKey();
  // Entra's v2 JWKS tags each key with the issuer it may sign for: the template on the
  // tenant-independent endpoints, the exact issuer on a tenant's (“Validate tokens” for multi-tenant apps).
  return json(200, { keys: [{ ...key.publicJwk, issuer: buildSegmentIssuer(ctx.baseUrl, segment) }] }, CACHE);
}
