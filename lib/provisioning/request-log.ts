import { randomUUID } from "node:crypto";
import { getStore } from "../db";
import { replaceInvalidCharacters, truncateAtCodePoint } from "../scim/validate-string";
import { redactForLog } from "./redact";

export type ScimLogEntry = {
  teamId: string;
  tokenId: string | null;
  at: Date;
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

export type RequestLogger = { record(entry: ScimLogEntry): void; flush(): Promise<void>; stats?(): RequestLogStats };

export type RequestLogStats = {
  /** Entries written since the process started. */
  written: number;
  /** Entries the database refused even when written alone (e.g. their team was deleted meanwhile). */
  dropped: number;
  /** Entries waiting to be written. */
  pending: number;
};

/** One row of "ScimRequestLog", ready to insert: every text storable, bodies redacted and cleaned. */
export type LogRow = Omit<ScimLogEntry, "at"> & {
  id: string;
  /** ISO 8601, UTC. */
  createdAt: string;
};

type Row = LogRow;

const MAX_LOGGED_TEXT_CHARS = 2048;

/**
 * Text the database always accepts: no NUL, no unpaired surrogate, at most `max` UTF-16 units, cut between code points.
 */
function cleanText(value: string, max = Number.POSITIVE_INFINITY): string {
  return replaceInvalidCharacters(truncateAtCodePoint(value, max));
}

/**
 * A JSON value the database always accepts: every string and object key cleaned as `cleanText`
 * (PostgreSQL's jsonb refuses \u0000 and unpaired surrogates). Keys are defined, not assigned, so
 * a `__proto__` key stays an ordinary key of the logged body.
 */
function cleanJson(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return cleanText(value);
  if (depth > 64) return "[nested too deep]";
  if (Array.isArray(value)) return value.map((item) => cleanJson(item, depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, cleanText(key), {
        value: cleanJson(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  // Numbers, booleans and null as they are; anything JSON cannot carry becomes null.
  return typeof value === "number"
    ? Number.isFinite(value)
      ? value
      : null
    : typeof value === "boolean"
      ? value
      : null;
}

/**
 * The row for an entry: secrets removed and bodies capped (redact.ts), then cleaned so the database cannot refuse it.
 */
export function toLogRow(entry: ScimLogEntry): Row {
  return {
    id: randomUUID(),
    teamId: entry.teamId,
    tokenId: entry.tokenId === null ? null : cleanText(entry.tokenId, MAX_LOGGED_TEXT_CHARS),
    createdAt: entry.at.toISOString(),
    method: cleanText(entry.method, 32),
    path: cleanText(entry.path, MAX_LOGGED_TEXT_CHARS),
    operation: cleanText(entry.operation, 200),
    targetId: entry.targetId === null ? null : cleanText(entry.targetId, MAX_LOGGED_TEXT_CHARS),
    status: entry.status,
    scimType: entry.scimType === null ? null : cleanText(entry.scimType, 64),
    detail: entry.detail === null ? null : cleanText(entry.detail, MAX_LOGGED_TEXT_CHARS),
    durationMs: Math.max(0, Math.min(2_147_483_647, Math.round(entry.durationMs))),
    requestBody: cleanJson(redactForLog(entry.requestBody)),
    responseBody: cleanJson(redactForLog(entry.responseBody)),
  };
}

/** The error's kind for the one warning line: never its message, which can quote the refused values. */
function describeError(error: unknown): string {
  if (error !== null && typeof error === "object") {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === "string") return code;
    if (typeof name === "string") return name;
  }
  return "unknown error";
}

/**
 * Buffers entries and writes them in batches off the request path: a SCIM request only pushes to
 * an array. A batch is written when it reaches `maxBatch` or after `delayMs`; a crash can lose at
 * most that window, which we accept for a log (the source of truth is Entra's own log).
 *
 * Loss-free otherwise: entries are cleaned before they are queued, a batch the database refuses is
 * written again entry by entry so one bad entry never takes the others with it, and an entry that
 * still fails is counted (`stats().dropped`, shown on /api/health and the Provisioning page) and
 * reported with one warning line that names no value.
 */
export function createRequestLogger(
  write: (rows: Row[]) => Promise<void>,
  { maxBatch = 200, delayMs = 250 } = {},
): RequestLogger & { stats(): RequestLogStats } {
  let buffer: Row[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const counts = { written: 0, dropped: 0, pending: 0 };

  const writeBatch = async (rows: Row[]): Promise<void> => {
    try {
      await write(rows);
      counts.written += rows.length;
      return;
    } catch (error) {
      if (rows.length === 1) {
        counts.dropped++;
        const [row] = rows;
        console.warn(
          `[scim-log] a provisioning log entry was not written (team ${row?.teamId}, ${row?.method} → ${row?.status}): ${describeError(error)}; ${counts.dropped} dropped since start`,
        );
        return;
      }
    }
    for (const row of rows) await writeBatch([row]);
  };

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return writing;
    const rows = buffer;
    buffer = [];
    writing = writing
      .then(() => writeBatch(rows))
      .catch((error: unknown) => console.error(`[scim-log] provisioning log writer failed: ${describeError(error)}`))
      .finally(() => {
        counts.pending -= rows.length;
      });
    return writing;
  };

  return {
    record(entry) {
      let row: Row;
      try {
        row = toLogRow(entry);
      } catch (error) {
        counts.dropped++;
        console.warn(
          `[scim-log] a provisioning log entry could not be prepared (team ${entry.teamId}): ${describeError(error)}`,
        );
        return;
      }
      buffer.push(row);
      counts.pending++;
      if (buffer.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), delayMs).unref();
    },
    flush,
    stats: () => ({ ...counts }),
  };
}

const globalLogger = globalThis as unknown as { __storegateScimLog?: RequestLogger & { stats(): RequestLogStats } };

// One statement per batch, whatever its size: the rows travel as one JSON parameter and are
// unpacked by the database (a JSON null becomes SQL NULL). Straight through the driver: the ORM's
// createMany spends longer preparing a batch of bodies than the database spends storing it, on the
// same thread that serves requests.
const INSERT_LOG_ROWS = `
  INSERT INTO "ScimRequestLog" ("id", "teamId", "tokenId", "createdAt", "method", "path", "operation", "targetId", "status", "scimType", "detail", "durationMs", "requestBody", "responseBody")
  SELECT r."id", r."teamId", r."tokenId", r."createdAt" AT TIME ZONE 'UTC', r."method", r."path", r."operation", r."targetId", r."status", r."scimType", r."detail", r."durationMs", r."requestBody", r."responseBody"
  FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "teamId" text, "tokenId" text, "createdAt" timestamptz, "method" text, "path" text, "operation" text,
    "targetId" text, "status" int, "scimType" text, "detail" text, "durationMs" int, "requestBody" jsonb, "responseBody" jsonb)`;

/**
 * The embedded store runs PostgreSQL without its background workers, so no autovacuum: nothing would
 * ever mark the log's pages all-visible, and the index-only scans of the activity chart and the
 * health summary would read every row of their range anyway (on disk, past the 32 MB buffer cache).
 * PostgreSQL's autovacuum vacuums a table after enough inserts; on the embedded store the writer does
 * it every VACUUM_LOG_EVERY entries it has written. The log is insert-only, so a VACUUM reads only
 * the pages written since the previous one (the first one on a never-vacuumed log reads all of it once).
 */
export const VACUUM_LOG_EVERY = 5000;
let writtenSinceVacuum = 0;

/** Writes rows to the provisioning log table (the process-wide logger's writer; tests use it too). */
export async function writeLogRows(rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const store = await getStore();
  await store.direct.query(INSERT_LOG_ROWS, [JSON.stringify(rows)]);
  writtenSinceVacuum += rows.length;
  if (writtenSinceVacuum < VACUUM_LOG_EVERY) return;
  writtenSinceVacuum = 0;
  try {
    if (store.kind !== "postgres") await store.prisma.$executeRawUnsafe(`VACUUM "ScimRequestLog"`);
  } catch (error) {
    // The rows are written: a failed VACUUM only leaves the chart slower, and must not make the
    // caller write them again.
    console.warn(`[scim-log] VACUUM of the provisioning log failed: ${describeError(error)}`);
  }
}

/** The process-wide provisioning log writer. */
export function getRequestLogger(): RequestLogger & { stats(): RequestLogStats } {
  globalLogger.__storegateScimLog ??= createRequestLogger(writeLogRows);
  return globalLogger.__storegateScimLog;
}

/** Counters of the process-wide provisioning log: a non-zero `dropped` means entries were lost. */
export function getRequestLogStats(): RequestLogStats {
  return getRequestLogger().stats();
}
