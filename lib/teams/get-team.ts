import { getDb } from "../db";
import { AppError } from "../errors";

export async function getTeam(teamId: string) {
  const db = await getDb();
  if (!/^[0-9a-f-]{36}$/i.test(teamId)) throw new AppError("not_found", "No such team.");
  const team = await db.team.findUnique({ where: { id: teamId }, select: { id: true, name: true, createdAt: true, _count: { select: { users: true } } } });
  if (!team) throw new AppError("not_found", "No such team.");
  return { id: team.id, name: team.name, createdAt: team.createdAt, memberCount: team._count.users };
}
