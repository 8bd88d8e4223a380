import { createHash, randomBytes } from "node:crypto";
import { base64url, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload, type KeyObject } from "jose";
import { getSigningKey } from "./signing-key";

// Entra's id_token lifetime is one hour; iat/nbf are backdated five minutes to absorb clock skew
// (the sample in id-token-claims-reference has exp - iat = 3900 s).
const ID_TOKEN_LIFETIME_S = 3600;
const BACKDATE_S = 300;
export const ACCESS_TOKEN_LIFETIME_S = 3600;

// Microsoft Graph's application id: the audience of Graph access tokens.
export const GRAPH_AUDIENCE = "00000003-0000-0000-c000-000000000000";

export function buildTenantIssuer(baseUrl: string, tid: string): string {
  return `${baseUrl}/${tid}/v2.0`;
}

/**
 * Entra's v2 `sub` is pairwise: stable for one user and one app, different for another app, and
 * never equal to `oid` (id-token-claims-reference). It is derived here, not stored, so it also
 * survives a stand-in restart.
 */
export function derivePairwiseSubject(tid: string, oid: string, clientId: string): string {
  return base64url.encode(createHash("sha256").update(`entra-stand-in|${tid}|${oid}|${clientId}`).digest());
}

export type IdTokenUser = {
  oid: string;
  preferred_username?: string;
  name?: string;
  email?: string;
};

export type IdTokenClaimsInput = {
  baseUrl: string;
  tid: string;
  user: IdTokenUser;
  clientId: string;
  nonce?: string;
  /** Directory role template ids for `wids`, when the app registration asks for them. */
  wids?: string[];
  /** Normalised scopes: `profile` gates name/preferred_username/oid, `email` gates email. */
  scopes?: string[];
  now?: Date;
  lifetimeSeconds?: number;
};

export function buildIdTokenClaims(input: IdTokenClaimsInput): JWTPayload {
  const scopes = new Set(input.scopes ?? ["openid", "profile", "email"]);
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const issuedAt = now - BACKDATE_S;
  const claims: JWTPayload = {
    aud: input.clientId,
    iss: buildTenantIssuer(input.baseUrl, input.tid),
    iat: issuedAt,
    nbf: issuedAt,
    exp: now + (input.lifetimeSeconds ?? ID_TOKEN_LIFETIME_S),
  };
  // email is sent only when the user has one and the email scope was asked for; Entra never
  // makes one up (“ID token claims reference”), and apps must not rely on it anyway (nOAuth, “Migrate away from using
  // email claims”).
  if (scopes.has("email") && input.user.email) claims.email = input.user.email;
  if (scopes.has("profile") && input.user.name) claims.name = input.user.name;
  if (input.nonce !== undefined) claims.nonce = input.nonce;
  if (scopes.has("profile")) claims.oid = input.user.oid;
  if (scopes.has("profile") && input.user.preferred_username) claims.preferred_username = input.user.preferred_username;
  claims.sub = derivePairwiseSubject(input.tid, input.user.oid, input.clientId);
  claims.tid = input.tid;
  claims.uti = randomBytes(16).toString("base64url");
  claims.ver = "2.0";
  if (input.wids) claims.wids = input.wids;
  return claims;
}

export async function signWithStandInKey(claims: JWTPayload): Promise<string> {
  const key = await getSigningKey();
  return new SignJWT(claims).setProtectedHeader({ typ: "JWT", alg: "RS256", kid: key.kid }).sign(key.privateKey);
}

export type GraphAccessTokenInput = {
  tid: string;
  oid: string;
  sub: string;
  clientId: string;
  scopes: string[];
  name?: string;
  preferred_username?: string;
};

/**
 * The access token of a v2 sign-in with `User.Read` is a Microsoft Graph token: a v1.0 token for
 * Graph's audience and issuer `https://sts.windows.net/<tid>/`, which the app must treat as opaque
 * and cannot validate (access-tokens: "only validate tokens for your own API"). Only the stand-in's
 * userinfo endpoint reads it.
 */
export async function issueGraphAccessToken(input: GraphAccessTokenInput): Promise<{ token: string; uti: string }> {
  const now = Math.floor(Date.now() / 1000);
  const uti = randomBytes(16).toString("base64url");
  const scp = input.scopes
    .map((s) => (s.startsWith("https://graph.microsoft.com/") ? s.slice("https://graph.microsoft.com/".length) : s))
    .filter((s) => s !== "offline_access")
    .join(" ");
  const token = await signWithStandInKey({
    aud: GRAPH_AUDIENCE,
    iss: `https://sts.windows.net/${input.tid}/`,
    iat: now - BACKDATE_S,
    nbf: now - BACKDATE_S,
    exp: now + ACCESS_TOKEN_LIFETIME_S,
    appid: input.clientId,
    ...(input.name ? { name: input.name } : {}),
    oid: input.oid,
    scp,
    sub: input.sub,
    tid: input.tid,
    ...(input.preferred_username ? { upn: input.preferred_username } : {}),
    uti,
    ver: "1.0",
  });
  return { token, uti };
}

// ---------------------------------------------------------------------------------------------
// Test hook: forge id_tokens for claim-validation tests. Not reachable over HTTP.

export type MintSigner =
  /** The stand-in's own key (the default): a genuinely valid signature. */
  | "stand-in"
  /** A fresh RSA key the relying party has never seen, under the stand-in's `kid` unless `kid` is given. */
  | "other-key"
  /** `alg: "none"` with an empty signature. */
  | "none"
  /** Any key and algorithm, e.g. HS256 keyed with the public key's bytes (algorithm confusion). */
  | { alg: string; key: CryptoKey | KeyObject | Uint8Array; kid?: string };

export type MintIdTokenOptions = {
  /** Issuer host: the stand-in's `url`, or e.g. `https://login.microsoftonline.com` for pure unit tests. */
  baseUrl: string;
  clientId: string;
  tid: string;
  oid: string;
  preferred_username?: string;
  name?: string;
  email?: string;
  nonce?: string;
  now?: Date;
  /** Negative values mint an already-expired token. */
  lifetimeSeconds?: number;
  /** Merged over the Entra-shaped defaults; a claim set to `undefined` is removed. */
  claims?: Record<string, unknown>;
  signWith?: MintSigner;
  /** Overrides the `kid` header (also for the stand-in key, e.g. an unknown kid). `null` omits it. */
  kid?: string | null;
};

let otherKey: Promise<CryptoKey> | undefined;

/**
 * Builds an id_token shaped exactly like the stand-in's (and Entra's) real ones, then lets a test
 * bend any claim or the signature: wrong `iss`/`tid` pairing, another tenant, the MSA tenant, an
 * injected `email` (nOAuth), expiry, foreign keys, `alg: none`.
 */
export async function mintIdToken(options: MintIdTokenOptions): Promise<string> {
  const base = buildIdTokenClaims({
    baseUrl: options.baseUrl,
    tid: options.tid,
    clientId: options.clientId,
    nonce: options.nonce,
    now: options.now,
    lifetimeSeconds: options.lifetimeSeconds,
    user: {
      oid: options.oid,
      preferred_username: options.preferred_username,
      name: options.name,
      email: options.email,
    },
  });
  const claims: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(options.claims ?? {})) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }

  const signer = options.signWith ?? "stand-in";
  const standInKey = await getSigningKey();
  const kidFor = (fallback: string | undefined) =>
    options.kid === null ? {} : options.kid !== undefined ? { kid: options.kid } : fallback ? { kid: fallback } : {};

  if (signer === "none") {
    const header = { alg: "none", typ: "JWT", ...kidFor(undefined) };
    return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}.`;
  }
  if (signer === "stand-in" || signer === "other-key") {
    const key =
      signer === "stand-in"
        ? standInKey.privateKey
        : await (otherKey ??= generateKeyPair("RS256", { modulusLength: 2048 }).then((pair) => pair.privateKey));
    return new SignJWT(claims).setProtectedHeader({ typ: "JWT", alg: "RS256", ...kidFor(standInKey.kid) }).sign(key);
  }
  return new SignJWT(claims)
    .setProtectedHeader({ typ: "JWT", alg: signer.alg, ...kidFor(signer.kid) })
    .sign(signer.key);
}
