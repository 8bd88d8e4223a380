import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
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
  /** The Administrator saw that the team already has a member with this email and adds anyway. */
  confirmDuplicateEmail: z.boolean().optional(),
});

/**
 * The 409 answer when the email is already used in the team and not confirmed; `fields.confirmDuplicateEmail` marks it.
 */
export const DUPLICATE_EMAIL_MESSAGE = "A member of your team already uses this email. Add this member anyway?";

/**
 * An Administrator adds a member who signs in with a password (SSO members arrive by SCIM). A
 * provisioned member may already carry the same email; adding a second person with it is allowed
 * only once the Administrator confirms, since the two are then told apart by their UPN alone.
 */
export async function addMember(actor: SessionUser, input: unknown): Promise<{ userId: string }> {
  const data = parseInput(addMemberSchema, input);
  const db = await getDb();
  if (!data.confirmDuplicateEmail) {
    // Served by the (teamId, lower(email)) index.
    const [existing] = await db.$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "User" WHERE "teamId" = ${actor.teamId} AND lower("email") = lower(${data.email}) LIMIT 1`;
    if (existing)
      throw new AppError("conflict", DUPLICATE_EMAIL_MESSAGE, {
        confirmDuplicateEmail: "A member of your team already uses this email.",
      });
  }
  const passwordHash = await hashPassword(data.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          teamId: actor.teamId,
          name: data.name,
          email: data.email,
          role: data.role,
          credential: { create: { email: data.email, passwordHash } },
        },
        select: { id: true },
      });
      await recordAuditEvent(
        {
          teamId: actor.teamId,
          actorUserId: actor.id,
          action: "member.add",
          targetType: "user",
          targetId: user.id,
          outcome: "success",
          details: { member: data.name, email: data.email, role: data.role },
        },
        tx,
      );
      return { userId: user.id };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", "An account with this email already exists.", {
        email: "An account with this email already exists.",
      });
    throw error;
  }
}
