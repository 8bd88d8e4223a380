import { cache } from "react";
import { getDb } from "../db";
import { AppError } from "../errors";

// Per request (React cache) in the app, where the console layout and a page both need it; a
// plain call elsewhere (CLI, tests).
export const getTeam = cache(async (teamId: string) => {
  const db = await getDb();
  if (!/^[0-9a-f-]{36}$/i.test(teamId)) throw new AppError("not_found", "No such team.");
  const team = await db.team.findUnique({
    where: { id: teamId },
    select: { id: true, name: true, createdAt: true, _count: { select: { users: true } } },
  });
  if (!team) throw new AppError("not_found", "No such team.");
  return { id: team.id, name: team.name, createdAt: team.createdAt, memberCount: team._count.users };
});
