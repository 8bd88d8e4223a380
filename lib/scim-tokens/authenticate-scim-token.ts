import { getStore } from "../db";
import { tokenCacheFor } from "./token-cache";
import { createFailureThrottle } from "./failure-throttle";
import { hashToken, parseToken, tokensEqual } from "./token-format";
import { shouldRecordLastUsed, tokenStatus } from "./token-policy";

export type ScimAuthResult =
  | { ok: true; teamId: string; tokenId: string }
  | { ok: false; status: 401; detail: string; tokenId?: string; teamId?: string }
  | { ok: false; status: 429; detail: string; retryAfterSeconds: number };

// One per process: counts failed attempts per client address. Valid tokens are answered before it
// is consulted, so a healthy tenant sharing Entra's egress addresses is never throttled.
const failures = createFailureThrottle();

const BEARER = /^Bearer\s+(\S+)\s*$/i;

type TokenRow = {
  id: string;
  teamId: string;
  tokenHash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  replacedAt: Date | null;
  overlapEndsAt: Date | null;
  lastUsedAt: Date | null;
  ssoActive: boolean;
};

/**
 * `Authorization: Bearer <token>` -> the team it provisions. A mistyped token is refused by its
 * checksum without a database lookup; a stored token is found by its SHA-256 and compared in
 * constant time. "Last used" is written at most once a minute per token. Lookups are cached in
 * memory and dropped on the database's change signal (./token-cache.ts): no query per request.
 */
export async function authenticateScimToken(
  authorization: string | null,
  clientAddress: string,
  now = new Date(),
): Promise<ScimAuthResult> {
  const fail = (detail: string, ids: { tokenId?: string; teamId?: string } = {}): ScimAuthResult => {
    const blocked = failures.recordFailure(clientAddress, now);
    if (blocked.blocked)
      return {
        ok: false,
        status: 429,
        detail: "Too many failed authentication attempts from this address. Retry later.",
        retryAfterSeconds: blocked.retryAfterSeconds,
      };
    return { ok: false, status: 401, detail, ...ids };
  };
  const blocked = failures.isBlocked(clientAddress, now);

  const match = authorization ? BEARER.exec(authorization) : null;
  if (!match?.[1])
    return blocked.blocked
      ? tooMany(blocked.retryAfterSeconds)
      : fail("Send the provisioning token as 'Authorization: Bearer <token>' (Entra: the Secret Token field).");
  const parsed = parseToken(match[1]);
  if (!parsed.ok) {
    if (blocked.blocked) return tooMany(blocked.retryAfterSeconds);
    return fail(
      parsed.reason === "bad_checksum"
        ? "The token is mistyped or incomplete (checksum mismatch). Copy it again from Storegate."
        : "This is not a Storegate provisioning token (they start with sgp_).",
    );
  }
  const hash = hashToken(parsed.token);
  const store = await getStore();
  const db = store.prisma;
  const cache = await tokenCacheFor<TokenRow>(store);
  // One round trip when not cached: the token and its team's SSO state together (a provisioning
  // check's sandbox follows the SSO state of the team it belongs to).
  const row = await cache.lookup(hash, async () => {
    const [found] = await db.$queryRaw<TokenRow[]>`
      SELECT t."id", t."teamId", t."tokenHash", t."expiresAt", t."revokedAt", t."replacedAt", t."overlapEndsAt", t."lastUsedAt",
             COALESCE(s."active", false) AS "ssoActive"
      FROM "ScimToken" t JOIN "Team" tm ON tm."id" = t."teamId"
      LEFT JOIN "SsoConnection" s ON s."teamId" = COALESCE(tm."sandboxOfId", t."teamId")
      WHERE t."tokenHash" = ${hash}`;
    return found;
  });
  if (!row || !tokensEqual(row.tokenHash, hash))
    return blocked.blocked
      ? tooMany(blocked.retryAfterSeconds)
      : fail(
          "Unknown provisioning token. Generate one in Storegate: Account Settings > Team > Settings > Provisioning.",
        );
  const ids = { tokenId: row.id, teamId: row.teamId };
  const status = tokenStatus(row, now);
  if (status === "revoked") return fail("This provisioning token was revoked. Generate a new one in Storegate.", ids);
  if (status === "expired") return fail("This provisioning token has expired. Generate a new one in Storegate.", ids);
  if (status === "superseded")
    return fail(
      "This provisioning token was rotated and its overlap window has ended. Use the replacement token.",
      ids,
    );
  if (!row.ssoActive)
    return fail(
      "Single sign-on is deactivated for this Storegate team, so provisioning is suspended. An Administrator can activate it again in Team > Settings.",
      ids,
    );

  if (shouldRecordLastUsed(row.lastUsedAt, now)) {
    await db.scimToken.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
    cache.update(hash, (cached) => ({ ...cached, lastUsedAt: now }));
  }
  return { ok: true, ...ids };
}

function tooMany(retryAfterSeconds: number): ScimAuthResult {
  return {
    ok: false,
    status: 429,
    detail: "Too many failed authentication attempts from this address. Retry later.",
    retryAfterSeconds,
  };
}
