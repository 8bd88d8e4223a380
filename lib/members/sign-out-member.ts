import { recordAuditEvent } from "../audit/record-audit-event";
import { revokeUserSessions, type SessionUser } from "../auth/sessions";
import { getDb } from "../db";
import { AppError } from "../errors";

/**
 * "Sign out everywhere": an Administrator ends every session of a member of their team (a lost
 * laptop, a shared computer). The member can sign in again; to keep them out, disable them.
 */
export async function signOutMemberEverywhere(actor: SessionUser, userId: string): Promise<{ sessionsEnded: number }> {
  const db = await getDb();
  return db.$transaction(async (tx) => {
    const target = await tx.user.findFirst({
      where: { id: userId, teamId: actor.teamId },
      select: { id: true, name: true, userName: true },
    });
    if (!target) throw new AppError("not_found", "No such member in your team.");
    const sessionsEnded = await revokeUserSessions(target.id, { db: tx });
    await recordAuditEvent(
      {
        teamId: actor.teamId,
        actorUserId: actor.id,
        action: "member.sign_out_everywhere",
        targetType: "user",
        targetId: target.id,
        outcome: "success",
        details: { member: target.name, ...(target.userName ? { userName: target.userName } : {}), sessionsEnded },
      },
      tx,
    );
    return { sessionsEnded };
  });
}
