import { z } from "zod";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { parseInput } from "../validation";

export const renameTeamSchema = z.object({
  name: z
    .string({ error: "Enter a team name." })
    .trim()
    .min(1, "Enter a team name.")
    .max(100, "Use at most 100 characters."),
});

export async function renameTeam(actor: SessionUser, input: unknown): Promise<void> {
  const { name } = parseInput(renameTeamSchema, input);
  const db = await getDb();
  await db.$transaction([
    db.team.update({ where: { id: actor.teamId }, data: { name } }),
    db.auditEvent.create({
      data: {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "team.rename",
        targetType: "team",
        targetId: actor.teamId,
        outcome: "success",
        details: { name },
      },
    }),
  ]);
}
