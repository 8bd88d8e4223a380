import { z } from "zod";
import { getDb } from "../db";
import { burnPasswordCheck, verifyPassword } from "./password";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

/** The account a sign-in attempt names, by normalised email (trimmed, lower-case), or null for malformed input. */
export function normalizeSignInEmail(input: unknown): string | null {
  const parsed = credentialsSchema.shape.email.safeParse((input as { email?: unknown } | null | undefined)?.email);
  return parsed.success ? parsed.data : null;
}

export type PasswordCheck =
  | { ok: true; userId: string; teamId: string }
  /** `account` is the existing account the email names, for auditing; never shown to the client. */
  | { ok: false; account: { userId: string; teamId: string } | null };

/** Password sign-in, with enough detail for throttling and auditing. */
export async function checkPassword(input: unknown): Promise<PasswordCheck> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, account: null };
  const db = await getDb();
  const credential = await db.passwordCredential.findUnique({
    where: { email: parsed.data.email },
    select: { passwordHash: true, user: { select: { id: true, teamId: true, active: true } } },
  });
  if (!credential) return burnPasswordCheck(parsed.data.password).then(() => ({ ok: false, account: null }));
  const ok = await verifyPassword(parsed.data.password, credential.passwordHash);
  const account = { userId: credential.user.id, teamId: credential.user.teamId };
  return ok && credential.user.active ? { ok: true, ...account } : { ok: false, account };
}

/**
 * Password sign-in. Returns the user id, or null for every kind of failure (unknown email, wrong
 * password, disabled account) so the caller can only say "invalid email or password".
 */
export async function verifyCredentials(input: unknown): Promise<string | null> {
  const result = await checkPassword(input);
  return result.ok ? result.userId : null;
}
