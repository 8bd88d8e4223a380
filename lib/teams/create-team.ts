import { z } from "zod";
import { hashPassword } from "../auth/password";
import { getDb } from "../db";
import { AppError, isUniqueViolation } from "../errors";
import { emailSchema, newPasswordSchema, parseInput, personNameSchema } from "../validation";

export const createTeamSchema = z
  .object({
    teamName: z
      .string({ error: "Enter your company or team name." })
      .trim()
      .min(1, "Enter your company or team name.")
      .max(100, "Use at most 100 characters."),
    adminName: personNameSchema,
    email: emailSchema,
    password: newPasswordSchema,
  })
  .refine((v) => v.password.toLowerCase() !== v.email, {
    path: ["password"],
    message: "Your password must not be your email address.",
  });

export type CreateTeamInput = z.input<typeof createTeamSchema>;

/** "Sign up for Storegate": a team and its first Administrator, in one transaction. */
export async function createTeam(input: CreateTeamInput): Promise<{ teamId: string; adminUserId: string }> {
  const data = parseInput(createTeamSchema, input);
  const passwordHash = await hashPassword(data.password);
  const db = await getDb();
  try {
    return await db.$transaction(async (tx) => {
      const team = await tx.team.create({ data: { name: data.teamName }, select: { id: true } });
      const admin = await tx.user.create({
        data: {
          teamId: team.id,
          name: data.adminName,
          email: data.email,
          role: "ADMIN",
          credential: { create: { email: data.email, passwordHash } },
        },
        select: { id: true },
      });
      await tx.auditEvent.create({
        data: {
          teamId: team.id,
          actorUserId: admin.id,
          action: "team.create",
          targetType: "team",
          targetId: team.id,
          outcome: "success",
        },
      });
      return { teamId: team.id, adminUserId: admin.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "An account with this email already exists.", {
        email: "An account with this email already exists. Log in instead.",
      });
    }
    throw error;
  }
}
