import { getDb, type Prisma } from "../db";
import { FAILED_STATUS } from "./health";
import type { ScimLogEntry } from "./request-log";

export const REQUEST_LOG_PAGE_SIZE = 50;

export type ScimLogView = Omit<ScimLogEntry, "teamId" | "at"> & {
  id: string;
  at: string;
  /** The user's userName or the group's displayName the request was about, when it still exists. */
  target: { kind: "user" | "group"; name: string } | null;
};

export const LOG_RANGES = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 } as const;
export type LogRange = keyof typeof LOG_RANGES;

export type LogFilter = {
  outcome?: "all" | "errors";
  operation?: string;
  /** A member's or group's id, as recorded in targetId. */
  target?: string;
  range?: LogRange;
  /** Entries at or after this instant (from a health link); combined with range by the later of the two. */
  since?: Date;
  /** Only the entry with this id (a link to one request). */
  id?: string;
};

/** Reads the filter from URL search params, ignoring values it does not know. */
export function parseLogFilter(params: URLSearchParams): LogFilter {
  const filter: LogFilter = {};
  if (params.get("outcome") === "errors") filter.outcome = "errors";
  const operation = params.get("operation")?.trim();
  if (operation) filter.operation = operation.slice(0, 200);
  const target = params.get("target")?.trim();
  if (target) filter.target = target.slice(0, 200);
  const range = params.get("range");
  if (range && range in LOG_RANGES) filter.range = range as LogRange;
  const id = params.get("entry")?.trim();
  if (id) filter.id = id.slice(0, 100);
  return filter;
}

/** The same filter as URL search params (only what is set), for links and the CSV export. */
export function logFilterParams(filter: LogFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.outcome === "errors") params.set("outcome", "errors");
  if (filter.operation) params.set("operation", filter.operation);
  if (filter.target) params.set("target", filter.target);
  if (filter.range) params.set("range", filter.range);
  if (filter.id) params.set("entry", filter.id);
  return params;
}

/** An opaque position after which the next page starts: (createdAt, id) of the last row shown. */
export function encodeCursor(row: { at: string; id: string }): string {
  return Buffer.from(`${row.at}|${row.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (rest.length > 0 || !id || Number.isNaN(date.getTime())) return null;
  return { at: date, id };
}

function whereFor(teamId: string, filter: LogFilter, now: Date): Prisma.ScimRequestLogWhereInput {
  const where: Prisma.ScimRequestLogWhereInput = { teamId };
  if (filter.outcome === "errors") where.status = { gte: FAILED_STATUS };
  if (filter.operation) where.operation = filter.operation;
  if (filter.target) where.targetId = filter.target;
  if (filter.id) where.id = filter.id;
  const from = [filter.range ? new Date(now.getTime() - LOG_RANGES[filter.range]) : undefined, filter.since].filter(
    (d): d is Date => d !== undefined,
  );
  if (from.length > 0) where.createdAt = { gte: new Date(Math.max(...from.map((d) => d.getTime()))) };
  return where;
}

/**
 * Newest first, paged on the server with a cursor on (createdAt, id) so that entries sharing a
 * millisecond are neither skipped nor repeated: what Entra asked for and what Storegate answered.
 */
export async function listScimRequestLog(
  teamId: string,
  {
    filter = {},
    cursor,
    limit = REQUEST_LOG_PAGE_SIZE,
    now = new Date(),
  }: { filter?: LogFilter; cursor?: { at: Date; id: string } | null; limit?: number; now?: Date } = {},
): Promise<{ entries: ScimLogView[]; nextCursor: string | null }> {
  const db = await getDb();
  const take = Math.min(Math.max(limit, 1), 1000);
  const where = whereFor(teamId, filter, now);
  const rows = await db.scimRequestLog.findMany({
    where: cursor
      ? { AND: [where, { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] }] }
      : where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
  });
  const page = rows.slice(0, take);
  const names = await targetNames(
    teamId,
    page.map((row) => row.targetId),
  );
  const entries = page.map(({ teamId: _teamId, createdAt, ...row }) => ({
    ...row,
    at: createdAt.toISOString(),
    target: (row.targetId && names.get(row.targetId)) || null,
  }));
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > take && last ? encodeCursor(last) : null };
}

/** The names of the users and groups the entries are about: one query per kind for the whole page. */
async function targetNames(
  teamId: string,
  ids: (string | null)[],
): Promise<Map<string, { kind: "user" | "group"; name: string }>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  const names = new Map<string, { kind: "user" | "group"; name: string }>();
  if (unique.length === 0) return names;
  const db = await getDb();
  const [users, groups] = await Promise.all([
    db.user.findMany({ where: { teamId, id: { in: unique } }, select: { id: true, userName: true, email: true } }),
    db.group.findMany({ where: { teamId, id: { in: unique } }, select: { id: true, displayName: true } }),
  ]);
  for (const user of users) names.set(user.id, { kind: "user", name: user.userName ?? user.email });
  for (const group of groups) names.set(group.id, { kind: "group", name: group.displayName });
  return names;
}

const CSV_COLUMNS = [
  "at",
  "operation",
  "method",
  "path",
  "status",
  "scimType",
  "detail",
  "targetId",
  "target",
  "durationMs",
] as const;

function csvCell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? "" : String(value);
  // A spreadsheet must not run a cell as a formula (CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const CSV_MAX_ROWS = 100_000;

/** The log under `filter` as CSV (newest first, at most CSV_MAX_ROWS rows), read a page at a time. */
export async function* requestLogCsv(
  teamId: string,
  filter: LogFilter,
  now: Date = new Date(),
): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  let cursor: { at: Date; id: string } | null = null;
  for (let sent = 0; sent < CSV_MAX_ROWS;) {
    const { entries, nextCursor } = await listScimRequestLog(teamId, { filter, cursor, limit: 1000, now });
    const rows = entries.slice(0, CSV_MAX_ROWS - sent);
    yield rows
      .map((e) => `${CSV_COLUMNS.map((c) => csvCell(c === "target" ? e.target?.name : e[c])).join(",")}\r\n`)
      .join("");
    sent += rows.length;
    if (!nextCursor) return;
    cursor = decodeCursor(nextCursor);
  }
}
