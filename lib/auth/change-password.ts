import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { AppError } from "../errors";
import { newPasswordSchema, parseInput } from "../validation";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import { resolveClientAddress } from "../http/client-address";
import type { PasswordThrottle, ThrottleKey } from "./password-throttle";
import type { SessionUser } from "./sessions";

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, "Enter your current password.")
      .max(200, "Use at most 200 characters."),
    newPassword: newPasswordSchema,
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from your current one.",
  });

/**
 * The session making the change, the request's headers and the process's sign-in throttle (the
 * caller passes getPasswordThrottle(): this module stays free of Auth.js so it can be tested alone).
 */
type Options = { sessionId: string; headers: Headers; throttle: PasswordThrottle; now?: () => Date };

// The same keys password sign-in uses: the account's sign-in email, and the client address when
// trusted proxies tell us it.
function throttleKeys(email: string, headers: Headers): ThrottleKey[] {
  const address = resolveClientAddress(headers);
  return [{ kind: "account", value: email }, ...(address ? [{ kind: "address" as const, value: address }] : [])];
}

function tooManyAttempts(seconds: number): AppError {
  return new AppError(
    "rate_limited",
    `Too many attempts. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`,
  );
}

/**
 * A signed-in person with a password account changes their password. The current password is
 * checked under the same throttle as sign-in (the same account and address keys), so a stolen
 * session cannot be used to guess it faster than the login form allows. On success every other
 * session of theirs ends, the one making the change stays.
 */
export async function changePassword(
  user: SessionUser,
  input: unknown,
  { sessionId, headers, throttle, now = () => new Date() }: Options,
): Promise<{ sessionsEnded: number }> {
  const data = parseInput(changePasswordSchema, input);
  const db = await getDb();
  const credential = await db.passwordCredential.findUnique({
    where: { userId: user.id },
    select: { email: true, passwordHash: true },
  });
  if (!credential) {
    await burnPasswordCheck(data.currentPassword);
    throw new AppError(
      "conflict",
      "Your account signs in with Microsoft; its password is managed by your organization.",
    );
  }
  const keys = throttleKeys(credential.email, headers);
  const admitted = throttle.admit(keys, now());
  if (admitted.refused) throw tooManyAttempts(admitted.retryAfterSeconds);
  if (!(await verifyPassword(data.currentPassword, credential.passwordHash))) {
    const outcome = throttle.recordFailure(keys, now());
    await recordAuditEvent({
      teamId: user.teamId,
      actorUserId: user.id,
      action: "auth.password_change",
      targetType: "user",
      targetId: user.id,
      outcome: "failure",
      details: { member: user.name, reason: "wrong_current_password" },
    });
    if (outcome.refused) throw tooManyAttempts(outcome.retryAfterSeconds);
    throw new AppError("validation", "Some fields need attention.", {
      currentPassword: "That is not your current password.",
    });
  }
  throttle.recordSuccess(keys[0]!, now());
  const passwordHash = await hashPassword(data.newPassword);
  return db.$transaction(async (tx) => {
    await tx.passwordCredential.update({ where: { userId: user.id }, data: { passwordHash } });
    const { count } = await tx.session.updateMany({
      where: { userId: user.id, revokedAt: null, id: { not: sessionId } },
      data: { revokedAt: now() },
    });
    await recordAuditEvent(
      {
        teamId: user.teamId,
        actorUserId: user.id,
        action: "auth.password_change",
        targetType: "user",
        targetId: user.id,
        outcome: "success",
        details: { member: user.name, sessionsEnded: count },
      },
      tx,
    );
    return { sessionsEnded: count };
  });
}
