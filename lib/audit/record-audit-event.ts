import type { Prisma } from "../db";
import { getDb } from "../db";

export type AuditEventInput = {
  teamId: string;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome: "success" | "failure";
  /** Never a secret: callers pass names and ids only. */
  details?: Prisma.InputJsonValue;
};

type Tx = Pick<Awaited<ReturnType<typeof getDb>>, "auditEvent">;

export async function recordAuditEvent(event: AuditEventInput, tx?: Tx): Promise<void> {
  const db = tx ?? (await getDb());
  await db.auditEvent.create({ data: event });
}
