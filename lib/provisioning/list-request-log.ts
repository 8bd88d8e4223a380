import { getDb } from "../db";
import type { ScimLogEntry } from "./request-log";

export const REQUEST_LOG_PAGE_SIZE = 50;

export type ScimLogView = Omit<ScimLogEntry, "teamId" | "at"> & { id: string; at: string };

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
