import { CredentialsSignin } from "next-auth";
import { recordAuditEvent } from "../audit/record-audit-event";
import { resolveClientAddress } from "../http/client-address";
import {
  createPasswordThrottle,
  type AttemptResult,
  type PasswordThrottle,
  type ThrottleKey,
} from "./password-throttle";
import { checkPassword, normalizeSignInEmail } from "./verify-credentials";

/** The `code` Auth.js puts in its failure redirect, and how callers recognise a throttled attempt. */
export const TOO_MANY_ATTEMPTS = "too_many_attempts";

export function tooManyAttemptsMessage(seconds: number): string {
  return `Too many attempts. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}

/**
 * Thrown from the Credentials provider's authorize(): Auth.js rethrows it to a server action
 * (the sign-in form shows its message) and turns it into a redirect carrying `code` for its own
 * HTTP endpoint (answered as 429 by the route handler). Its type stays "CredentialsSignin", so it is
 * no more an error in the server log than a wrong password.
 */
export class TooManySignInAttempts extends CredentialsSignin {
  override code = TOO_MANY_ATTEMPTS;
  constructor(readonly retryAfterSeconds: number) {
    super(tooManyAttemptsMessage(retryAfterSeconds));
  }
}

// One per process, shared by every bundle that imports this module (route handler, server actions).
const shared = globalThis as unknown as { __storegatePasswordThrottle?: PasswordThrottle };
export function getPasswordThrottle(): PasswordThrottle {
  shared.__storegatePasswordThrottle ??= createPasswordThrottle();
  return shared.__storegatePasswordThrottle;
}

/**
 * The throttle keys for an attempt: the account always; the client address only when trusted
 * proxies tell us it, since without them every client would share one address and one client's
 * guessing would lock everybody out of password sign-in.
 */
export function signInThrottleKeys(email: string, headers: Headers): ThrottleKey[] {
  const address = resolveClientAddress(headers);
  return [{ kind: "account", value: email }, ...(address ? [{ kind: "address" as const, value: address }] : [])];
}

type Options = { throttle?: PasswordThrottle; now?: () => Date };

/**
 * The Credentials provider's authorize(): throttle, check, audit. Resolves to the user id, or null
 * for a wrong password (the form says "Invalid email or password."); throws TooManySignInAttempts
 * while the account or address is locked.
 */
export async function signInWithPassword(
  credentials: unknown,
  request: Request,
  { throttle = getPasswordThrottle(), now = () => new Date() }: Options = {},
): Promise<string | null> {
  const email = normalizeSignInEmail(credentials);
  if (!email) return null;
  const keys = signInThrottleKeys(email, request.headers);
  const admitted = throttle.admit(keys, now());
  if (admitted.refused) throw new TooManySignInAttempts(admitted.retryAfterSeconds);

  const result = await checkPassword(credentials);
  if (result.ok) {
    throttle.recordSuccess(keys[0]!, now());
    return result.userId;
  }
  const outcome = throttle.recordFailure(keys, now());
  if (result.account) await auditFailure(result.account, email, keys, outcome);
  if (outcome.refused) throw new TooManySignInAttempts(outcome.retryAfterSeconds);
  return null;
}

// Audited on the team of the account the email names (unknown emails belong to no team). Each
// password check is one row; attempts refused during a lock are not checked and not recorded, so
// a flood of them cannot flood the audit log.
async function auditFailure(
  account: { userId: string; teamId: string },
  email: string,
  keys: ThrottleKey[],
  outcome: AttemptResult,
): Promise<void> {
  const clientAddress = keys.find((k) => k.kind === "address")?.value ?? null;
  const base = {
    teamId: account.teamId,
    actorUserId: null,
    targetType: "user",
    targetId: account.userId,
    outcome: "failure" as const,
  };
  await recordAuditEvent({ ...base, action: "auth.password_failed", details: { email, clientAddress } });
  if (outcome.refused && outcome.newlyLocked.length > 0) {
    await recordAuditEvent({
      ...base,
      action: "auth.password_throttled",
      details: { email, clientAddress, limitedBy: outcome.newlyLocked, retryAfterSeconds: outcome.retryAfterSeconds },
    });
  }
}

/**
 * Auth.js answers a refused credentials POST to its own endpoint with a redirect to the sign-in
 * page; for a throttled attempt that endpoint is an API response, so answer 429 with Retry-After
 * (and the console API's error envelope) instead. Everything else passes through untouched.
 */
export function withSignInThrottleStatus<R extends Request>(
  post: (request: R) => Promise<Response>,
  throttle: () => PasswordThrottle = getPasswordThrottle,
): (request: R) => Promise<Response> {
  return async (request) => {
    if (!new URL(request.url).pathname.endsWith("/callback/credentials")) return post(request);
    const form = await request
      .clone()
      .formData()
      .catch(() => null);
    const response = await post(request);
    const target =
      response.headers.get("location") ??
      (response.headers.get("content-type")?.includes("json")
        ? ((await response.clone().json()) as { url?: unknown }).url
        : null);
    if (typeof target !== "string" || new URL(target, request.url).searchParams.get("code") !== TOO_MANY_ATTEMPTS)
      return response;
    const email = normalizeSignInEmail({ email: form?.get("email") });
    const seconds = Math.max(
      1,
      email ? throttle().retryAfterSeconds(signInThrottleKeys(email, request.headers), new Date()) : 1,
    );
    const headers = new Headers({ "Retry-After": String(seconds), "Cache-Control": "no-store" });
    for (const cookie of response.headers.getSetCookie()) headers.append("Set-Cookie", cookie);
    return Response.json(
      { error: { code: "rate_limited", message: tooManyAttemptsMessage(seconds) } },
      { status: 429, headers },
    );
  };
}
