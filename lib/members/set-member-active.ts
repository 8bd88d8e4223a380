import { recordAuditEvent } from "../audit/record-audit-event";
import type { SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { AppError } from "../errors";

/**
 * Disables or re-enables a member of the actor's team. Disabling revokes every session of theirs in
 * the same transaction, so they lose access on their next request. Another team's user is "not found".
 */
export async function setMemberActive(actor: SessionUser, userId: string, active: boolean): Promise<void> {
  if (!active && userId === actor.id) throw new AppError("conflict", "You cannot disable your own account.");
  const db = await getDb();
  await db.$transaction(async (tx) => {
    const target = await tx.user.findFirst({
      where: { id: userId, teamId: actor.teamId },
      select: { id: true, name: true, userName: true, active: true },
    });
    if (!target) throw new AppError("not_found", "No such member in your team.");
    if (target.active === active) return;
    await tx.user.update({ where: { id: target.id }, data: { active } });
    const ended = active
      ? 0
      : (
          await tx.session.updateMany({
            where: { userId: target.id, revokedAt: null },
            data: { revokedAt: new Date() },
          })
        ).count;
    await recordAuditEvent(
      {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: active ? "member.enable" : "member.disable",
        targetType: "user",
        targetId: target.id,
        outcome: "success",
        details: {
          member: target.name,
          ...(target.userName ? { userName: target.userName } : {}),
          ...(active ? {} : { sessionsEnded: ended }),
        },
      },
      tx,
    );
  });
}
