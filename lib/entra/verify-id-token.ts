import { isGuid } from "../guid";
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";

// The personal Microsoft account (MSA) tenant: refused, Storegate is for work accounts (“ID token claims reference”).
export const MSA_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";
export type EntraIdentity = {
  tid: string;
  oid: string;
  preferredUsername: string | null;
  name: string | null;
  /** Lower-cased role template ids from `wids` (tenant-wide directory roles); empty when absent. */
  roleTemplateIds: string[];
};

export type EntraTokenProblem =
  | "malformed"
  | "bad_tenant"
  | "personal_account"
  | "bad_signature"
  | "wrong_issuer"
  | "wrong_audience"
  | "expired"
  | "bad_nonce"
  | "missing_claims";

export class EntraTokenError extends Error {
  override name = "EntraTokenError";
  constructor(
    readonly problem: EntraTokenProblem,
    message: string,
  ) {
    super(message);
  }
}

export type VerifyOptions = {
  /** e.g. https://login.microsoftonline.com, or the stand-in's base URL. */
  authority: string;
  clientId: string;
  /** The JWKS for a tenant; defaults to the tenant's published keys. */
  keysFor?: (tid: string) => JWTVerifyGetKey;
  nonce?: string;
  now?: Date;
};

const remoteKeys = new Map<string, JWTVerifyGetKey>();
function publishedKeys(authority: string, tid: string): JWTVerifyGetKey {
  const url = `${authority}/${tid}/discovery/v2.0/keys`;
  let keys = remoteKeys.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url));
    remoteKeys.set(url, keys);
  }
  return keys;
}

/**
 * Validates an Entra v2.0 id_token for a multi-tenant app (“Validate tokens” for multi-tenant apps), independently of
 * the
 * OIDC library that obtained it: signature (RS256 only, a key the tenant publishes), issuer equal
 * to the template with the token's own `tid`, audience, lifetime, nonce when given, and the
 * claims that identify a person (`tid` + `oid`). Email is never read (nOAuth, C.5).
 */
export async function verifyEntraIdToken(idToken: string, options: VerifyOptions): Promise<EntraIdentity> {
  let unverified: ReturnType<typeof decodeJwt>;
  try {
    unverified = decodeJwt(idToken);
  } catch {
    throw new EntraTokenError("malformed", "The sign-in token from Microsoft could not be read.");
  }
  const tid = unverified.tid;
  if (typeof tid !== "string" || !isGuid(tid))
    throw new EntraTokenError("bad_tenant", "The sign-in token has no valid tenant id.");
  if (tid.toLowerCase() === MSA_TENANT_ID) {
    throw new EntraTokenError(
      "personal_account",
      "Personal Microsoft accounts cannot sign in to Storegate. Use your work account.",
    );
  }
  const expectedIssuer = `${options.authority}/${tid}/v2.0`;
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(idToken, (options.keysFor ?? ((t) => publishedKeys(options.authority, t)))(tid), {
      algorithms: ["RS256"],
      issuer: expectedIssuer,
      audience: options.clientId,
      currentDate: options.now,
      // Entra's guidance allows for clock skew of up to five minutes.
      clockTolerance: 300,
      requiredClaims: ["iss", "aud", "exp", "iat", "tid", "oid"],
    }));
  } catch (error) {
    throw classify(error);
  }
  if (payload.tid !== tid)
    throw new EntraTokenError("bad_tenant", "The sign-in token's tenant does not match its issuer.");
  if (options.nonce !== undefined && payload.nonce !== options.nonce)
    throw new EntraTokenError("bad_nonce", "The sign-in token does not belong to this sign-in.");
  const oid = payload.oid;
  if (typeof oid !== "string" || !isGuid(oid))
    throw new EntraTokenError("missing_claims", "The sign-in token has no valid user object id (oid).");
  if (payload.ver !== undefined && payload.ver !== "2.0")
    throw new EntraTokenError("wrong_issuer", "Only Microsoft identity platform v2.0 tokens are accepted.");
  return {
    tid: tid.toLowerCase(),
    oid: oid.toLowerCase(),
    preferredUsername: typeof payload.preferred_username === "string" ? payload.preferred_username : null,
    name: typeof payload.name === "string" ? payload.name : null,
    roleTemplateIds: readRoleTemplateIds(payload.wids),
  };
}

// `wids` is an array of GUID strings; anything else is treated as no claim rather than an error,
// because it only ever grants (never denies) a privilege.
function readRoleTemplateIds(claim: unknown): string[] {
  if (!Array.isArray(claim)) return [];
  return claim.filter((id): id is string => typeof id === "string" && isGuid(id)).map((id) => id.toLowerCase());
}

function classify(error: unknown): EntraTokenError {
  if (error instanceof joseErrors.JWTExpired)
    return new EntraTokenError("expired", "The sign-in token has expired. Sign in again.");
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === "iss")
      return new EntraTokenError("wrong_issuer", "The sign-in token was not issued by its tenant.");
    if (error.claim === "aud")
      return new EntraTokenError("wrong_audience", "The sign-in token was issued for another application.");
    if (error.claim === "nbf" || error.claim === "iat")
      return new EntraTokenError("expired", "The sign-in token is not valid yet.");
    return new EntraTokenError("missing_claims", `The sign-in token lacks a required claim (${error.claim}).`);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JOSEAlgNotAllowed ||
    error instanceof joseErrors.JWSInvalid ||
    error instanceof joseErrors.JOSENotSupported
  ) {
    return new EntraTokenError("bad_signature", "The sign-in token's signature is not valid.");
  }
  if (error instanceof joseErrors.JWTInvalid)
    return new EntraTokenError("malformed", "The sign-in token could not be read.");
  throw error;
}
