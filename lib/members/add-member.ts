import { z } from "zod";
import { hashPassword } from "../auth/password";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { emailSchema, newPasswordSchema, parseInput, personNameSchema } from "../validation";

export const addMemberSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  role: z.enum(["ADMIN", "USER"], { error: "Choose Administrator or User." }),
  password: newPasswordSchema,
});

/** An Administrator adds a member who signs in with a password (SSO members arrive by SCIM). */
export async function addMember(actor: SessionUser, input: unknown): Promise<{ userId: string }> {
  const data = parseInput(addMemberSchema, input);
  const passwordHash = await hashPassword(data.password);
  const db = await getDb();
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { teamId: actor.teamId, name: data.name, email: data.email, role: data.role, credential: { create: { email: data.email, passwordHash } } },
        select: { id: true },
      });
      await tx.auditEvent.create({
        data: { teamId: actor.teamId, actorUserId: actor.id, action: "member.add", targetType: "user", targetId: user.id, outcome: "success", details: { role: data.role } },
      });
      return { userId: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", "An account with this email already exists.", { email: "An account with this email already exists." });
    throw error;
  }
}
