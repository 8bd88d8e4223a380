import { z } from "zod";
import { getDb } from "../db";
import { burnPasswordCheck, verifyPassword } from "./password";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(200),
});

/**
 * Password sign-in. Returns the user id, or null for every kind of failure (unknown email, wrong
 * password, disabled account) so the caller can only say "invalid email or password".
 */
export async function verifyCredentials(input: unknown): Promise<string | null> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return null;
  const db = await getDb();
  const credential = await db.passwordCredential.findUnique({
    where: { email: parsed.data.email },
    select: { passwordHash: true, user: { select: { id: true, active: true } } },
  });
  if (!credential) return burnPasswordCheck(parsed.data.password).then(() => null);
  const ok = await verifyPassword(parsed.data.password, credential.passwordHash);
  return ok && credential.user.active ? credential.user.id : null;
}
