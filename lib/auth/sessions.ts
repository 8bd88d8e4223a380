import { getDb } from "../db";
import type { Role, SessionMethod } from "../db/generated/enums";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

export type SessionUser = { id: string; teamId: string; name: string; email: string; role: Role };

/** `method` records how the person signed in, so turning single sign-on off can end exactly the Microsoft sessions. */
export async function createSession(
  userId: string,
  method: SessionMethod = "PASSWORD",
  now = new Date(),
): Promise<string> {
  const db = await getDb();
  const [session] = await db.$transaction([
    db.session.create({
      data: { userId, method, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000) },
      select: { id: true },
    }),
    db.user.update({ where: { id: userId }, data: { lastSignInAt: now }, select: { id: true } }),
  ]);
  return session.id;
}

/**
 * The check behind every signed-in request: the server-side session still exists, is neither
 * revoked nor expired, and its user is still active. Disabling or deleting a user therefore ends
 * their access on their next request, whatever their cookie says.
 */
export async function findActiveSession(sessionId: string, now = new Date()): Promise<SessionUser | null> {
  const db = await getDb();
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      expiresAt: true,
      revokedAt: true,
      user: { select: { id: true, teamId: true, name: true, email: true, role: true, active: true } },
    },
  });
  if (!session || session.revokedAt || session.expiresAt <= now || !session.user.active) return null;
  const { active: _active, ...user } = session.user;
  return user;
}

export async function revokeSession(sessionId: string): Promise<void> {
  const db = await getDb();
  await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Ends every current session of a user, except `keepSessionId` (the one making the request, when a
 * person changes their own password). Returns how many were ended.
 */
export async function revokeUserSessions(
  userId: string,
  { keepSessionId, db }: { keepSessionId?: string; db?: Pick<Awaited<ReturnType<typeof getDb>>, "session"> } = {},
): Promise<number> {
  const client = db ?? (await getDb());
  const result = await client.session.updateMany({
    where: { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return result.count;
}

export type SessionView = { id: string; method: SessionMethod; startedAt: string; expiresAt: string };

/** A user's sessions that are still usable (not revoked, not expired), newest first. */
export async function listActiveSessions(userId: string, now = new Date()): Promise<SessionView[]> {
  const db = await getDb();
  const rows = await db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 100,
    select: { id: true, method: true, createdAt: true, expiresAt: true },
  });
  return rows.map((r) => ({
    id: r.id,
    method: r.method,
    startedAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
  }));
}
