import { createHash } from "node:crypto";
import { base64url, jwtVerify } from "jose";
import { directoryRolesOf, emitsDirectoryRoles, type FixtureClient } from "./fixture";
import { formBody, json, oauthError, type StandInContext, type StandInRequest, type StandInResponse } from "./http";
import { safeEqual } from "./safe-equal";
import { formatGrantedScope } from "./scopes";
import { refuseAccount, type TenantSegment } from "./segments";
import { getSigningKey } from "./signing-key";
import {
  ACCESS_TOKEN_LIFETIME_S,
  buildIdTokenClaims,
  GRAPH_AUDIENCE,
  issueGraphAccessToken,
  derivePairwiseSubject,
  signWithStandInKey,
} from "./tokens";

type ClientAuth = { ok: true; client: FixtureClient } | { ok: false; response: StandInResponse };

/**
 * Client authentication (v2-oauth2-auth-code-flow, "Redeem a code"): client_secret_post or
 * client_secret_basic, one method per request (RFC 6749 §2.3), secrets compared in constant time.
 */
function authenticateClient(ctx: StandInContext, request: StandInRequest, form: URLSearchParams): ClientAuth {
  let clientId = form.get("client_id") ?? undefined;
  let secret = form.get("client_secret") ?? undefined;
  const authorization = request.headers.authorization;
  if (authorization?.toLowerCase().startsWith("basic ")) {
    if (secret !== undefined) {
      return {
        ok: false,
        response: oauthError(
          400,
          "invalid_request",
          "Use only one client authentication method: client_secret_basic or client_secret_post.",
        ),
      };
    }
    const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    // RFC 6749 §2.3.1: both halves are form-urlencoded before being joined.
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, "%20"));
    let basicId: string;
    try {
      basicId = decode(colon < 0 ? decoded : decoded.slice(0, colon));
      secret = colon < 0 ? "" : decode(decoded.slice(colon + 1));
    } catch {
      return {
        ok: false,
        response: oauthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided."),
      };
    }
    if (clientId !== undefined && clientId !== basicId) {
      return {
        ok: false,
        response: oauthError(400, "invalid_request", "client_id in the body does not match the Authorization header."),
      };
    }
    clientId = basicId;
  }
  if (!clientId) {
    return {
      ok: false,
      response: oauthError(
        400,
        "invalid_request",
        "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
      ),
    };
  }
  const client = ctx.store.findClient(clientId);
  if (!client) {
    return {
      ok: false,
      response: oauthError(
        400,
        "unauthorized_client",
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
      ),
    };
  }
  if (!secret) {
    return {
      ok: false,
      response: oauthError(
        401,
        "invalid_client",
        "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      ),
    };
  }
  if (!safeEqual(secret, client.client_secret)) {
    return {
      ok: false,
      response: oauthError(
        401,
        "invalid_client",
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.client_id}'.`,
      ),
    };
  }
  return { ok: true, client };
}

export async function postToken(
  ctx: StandInContext,
  segment: TenantSegment,
  request: StandInRequest,
): Promise<StandInResponse> {
  const contentType = request.headers["content-type"] ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return oauthError(
      400,
      "invalid_request",
      "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
    );
  }
  const form = formBody(request);
  const auth = authenticateClient(ctx, request, form);
  if (!auth.ok) return auth.response;
  const client = auth.client;

  const grantType = form.get("grant_type");
  if (!grantType)
    return oauthError(
      400,
      "invalid_request",
      "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
    );
  if (grantType !== "authorization_code") {
    return oauthError(
      400,
      "unsupported_grant_type",
      `AADSTS70003: The app requested an unsupported grant type '${grantType}'. The stand-in supports authorization_code only.`,
    );
  }
  const code = form.get("code");
  if (!code)
    return oauthError(
      400,
      "invalid_request",
      "AADSTS900144: The request body must contain the following parameter: 'code'.",
    );
  const record = ctx.store.codes.get(code);
  if (!record)
    return oauthError(400, "invalid_grant", "AADSTS9002313: Invalid request. Request is malformed or invalid.");
  if (record.redeemed) {
    // RFC 6749 §4.1.2: a replayed code should revoke what it already produced.
    if (record.accessTokenUti) ctx.store.revokedAccessTokens.add(record.accessTokenUti);
    return oauthError(
      400,
      "invalid_grant",
      "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
    );
  }
  if (record.expiresAt <= Date.now()) {
    return oauthError(
      400,
      "invalid_grant",
      "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
    );
  }
  if (record.clientId !== client.client_id) {
    return oauthError(
      400,
      "invalid_grant",
      "AADSTS70000: The provided authorization code was issued to another client.",
    );
  }
  // Any redemption attempt by the right client spends the code, so a wrong code_verifier or
  // redirect_uri cannot be retried until it matches.
  record.redeemed = true;
  const account = ctx.store.findAccount(record.tid, record.oid);
  if (!account || refuseAccount(segment, account.tenant, account.user.preferred_username)) {
    return oauthError(
      400,
      "invalid_grant",
      "AADSTS700005: Provided Authorization Code is intended to use against other tenant, thus rejected.",
    );
  }
  const redirectUri = form.get("redirect_uri");
  if (redirectUri !== record.redirectUri) {
    return oauthError(
      400,
      "invalid_grant",
      `AADSTS500112: The reply address '${redirectUri ?? ""}' does not match the reply address '${record.redirectUri}' provided when requesting Authorization code.`,
    );
  }
  const verifier = form.get("code_verifier");
  if (!verifier)
    return oauthError(
      400,
      "invalid_request",
      "AADSTS900144: The request body must contain the following parameter: 'code_verifier'.",
    );
  // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) == code_challenge.
  const computed = base64url.encode(createHash("sha256").update(verifier, "ascii").digest());
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !safeEqual(computed, record.codeChallenge)) {
    return oauthError(
      400,
      "invalid_grant",
      "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.",
    );
  }

  const idToken = await signWithStandInKey(
    buildIdTokenClaims({
      baseUrl: ctx.baseUrl,
      tid: account.tenant.tid,
      user: account.user,
      clientId: client.client_id,
      nonce: record.nonce,
      scopes: record.scopes,
      ...(emitsDirectoryRoles(client) ? { wids: directoryRolesOf(account.user) } : {}),
    }),
  );
  const sub = derivePairwiseSubject(account.tenant.tid, account.user.oid, client.client_id);
  const access = await issueGraphAccessToken({
    tid: account.tenant.tid,
    oid: account.user.oid,
    sub,
    clientId: client.client_id,
    scopes: record.scopes,
    name: account.user.name,
    preferred_username: account.user.preferred_username,
  });
  record.accessTokenUti = access.uti;
  return json(
    200,
    {
      token_type: "Bearer",
      scope: formatGrantedScope(record.scopes),
      expires_in: ACCESS_TOKEN_LIFETIME_S,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_S,
      access_token: access.token,
      id_token: idToken,
    },
    { "cache-control": "no-store", pragma: "no-cache" },
  );
}

/**
 * Stands in for https://graph.microsoft.com/oidc/userinfo (userinfo, "Calling the UserInfo
 * endpoint"): a Graph access token in, `sub`/`name`/`given_name`/`family_name`/`email` out.
 */
export async function serveUserinfo(ctx: StandInContext, request: StandInRequest): Promise<StandInResponse> {
  const caller = await authenticateGraphCall(ctx, request);
  if ("status" in caller) return caller;
  const { payload, scopes, account } = caller;
  if (!scopes.includes("openid"))
    return json(403, {
      error: { code: "Authorization_RequestDenied", message: "Insufficient privileges: openid is required." },
    });
  const user = account.user;
  return json(200, {
    sub: payload.sub,
    ...(scopes.includes("profile")
      ? { name: user.name, given_name: user.given_name, family_name: user.family_name }
      : {}),
    ...(scopes.includes("email") && user.email ? { email: user.email } : {}),
  });
}

/**
 * Stands in for Microsoft Graph `GET /v1.0/organization` ("Get organization": delegated
 * `User.Read` is enough): the signed-in user's tenant with its display name and verified domains.
 */
export async function serveOrganization(ctx: StandInContext, request: StandInRequest): Promise<StandInResponse> {
  const caller = await authenticateGraphCall(ctx, request);
  if ("status" in caller) return caller;
  if (!caller.scopes.some((s) => s.toLowerCase() === "user.read")) {
    return json(403, {
      error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." },
    });
  }
  const tenant = caller.account.tenant;
  return json(200, {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization",
    value: [
      {
        id: tenant.tid,
        displayName: tenant.displayName,
        verifiedDomains: [{ name: tenant.defaultDomain, isDefault: true, isInitial: true, type: "Managed" }],
      },
    ],
  });
}

async function authenticateGraphCall(ctx: StandInContext, request: StandInRequest) {
  const header = request.headers.authorization ?? "";
  const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  const unauthorized = (description: string) =>
    json(
      401,
      { error: { code: "InvalidAuthenticationToken", message: description } },
      {
        "www-authenticate": `Bearer error="invalid_token", error_description="${description}"`,
      },
    );
  if (!token) return unauthorized("Access token is empty.");
  const key = await getSigningKey();
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, { audience: GRAPH_AUDIENCE, algorithms: ["RS256"] }));
  } catch {
    return unauthorized("Access token validation failure.");
  }
  if (typeof payload.uti === "string" && ctx.store.revokedAccessTokens.has(payload.uti)) {
    return unauthorized("Access token has been revoked.");
  }
  const account = ctx.store.findAccount(String(payload.tid), String(payload.oid));
  if (!account) return unauthorized("The user no longer exists.");
  return { payload, scopes: (typeof payload.scp === "string" ? payload.scp : "").split(" "), account };
}
