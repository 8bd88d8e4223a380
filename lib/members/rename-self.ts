import { z } from "zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { AppError } from "../errors";
import { parseInput, personNameSchema } from "../validation";

export const renameSelfSchema = z.object({ name: personNameSchema });

/**
 * A person changes the name shown for them. A provisioned member's name is Entra's (displayName),
 * rewritten at every provisioning cycle, so it is changed in Entra, not here.
 */
export async function renameSelf(user: SessionUser, input: unknown): Promise<void> {
  const { name } = parseInput(renameSelfSchema, input);
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const current = await tx.user.findUnique({ where: { id: user.id }, select: { name: true, userName: true } });
    if (!current) throw new AppError("not_found", "Your account no longer exists.");
    if (current.userName !== null)
      throw new AppError(
        "conflict",
        "Your name comes from Microsoft Entra ID. Ask your administrator to change it there.",
      );
    if (current.name === name) return;
    await tx.user.update({ where: { id: user.id }, data: { name } });
    await recordAuditEvent(
      {
        teamId: user.teamId,
        actorUserId: user.id,
        action: "member.rename",
        targetType: "user",
        targetId: user.id,
        outcome: "success",
        details: { member: name, oldName: current.name },
      },
      tx,
    );
  });
}
