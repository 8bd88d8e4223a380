import { getDb } from "../db";

export const REQUEST_LOG_PAGE_SIZE = 50;

export type ScimLogView = {
  id: string;
  at: string;
  tokenId: string | null;
  method: string;
  path: string;
  operation: string;
  targetId: string | null;
  status: number;
  scimType: string | null;
  detail: string | null;
  durationMs: number;
  requestBody: unknown;
  responseBody: unknown;
};

/** Newest first, paged on the server: what Entra asked for and what Storegate answered. */
export async function listScimRequestLog(teamId: string, { before, limit = REQUEST_LOG_PAGE_SIZE }: { before?: Date; limit?: number } = {}): Promise<ScimLogView[]> {
  const db = await getDb();
  const rows = await db.scimRequestLog.findMany({
    where: { teamId, ...(before ? { createdAt: { lt: before } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 200),
  });
  return rows.map(({ teamId: _teamId, createdAt, ...row }) => ({ ...row, at: createdAt.toISOString() }));
}
