import { AppError } from "../errors";
import { getDb } from "../db";

export type GroupDetail = {
  id: string;
  displayName: string;
  externalId: string | null;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
};

/** One of the team's groups; another team's group, or an unknown id, is "not found". */
export async function getGroup(teamId: string, groupId: string): Promise<GroupDetail> {
  const db = await getDb();
  const group = await db.group.findFirst({
    where: { id: groupId, teamId },
    select: {
      id: true,
      displayName: true,
      externalId: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { members: true } },
    },
  });
  if (!group) throw new AppError("not_found", "No such group in your team.");
  return {
    id: group.id,
    displayName: group.displayName,
    externalId: group.externalId,
    memberCount: group._count.members,
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}
