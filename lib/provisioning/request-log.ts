import { getDb, Prisma } from "../db";
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

export type RequestLogger = { record(entry: ScimLogEntry): void; flush(): Promise<void> };

/**
 * Buffers entries and writes them in batches off the request path: a SCIM request only pushes to
 * an array. A batch is written when it reaches `maxBatch` or after `delayMs`; a crash can lose at
 * most that window, which we accept for a log (the source of truth is Entra's own log).
 */
export function createRequestLogger(write: (rows: Prisma.ScimRequestLogCreateManyInput[]) => Promise<void>, { maxBatch = 200, delayMs = 250 } = {}): RequestLogger {
  let buffer: Prisma.ScimRequestLogCreateManyInput[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (buffer.length === 0) return writing;
    const rows = buffer;
    buffer = [];
    writing = writing.then(() => write(rows)).catch((error: unknown) => console.error(`[scim-log] ${rows.length} entries not written`, error));
    return writing;
  };

  return {
    record(entry) {
      buffer.push({
        teamId: entry.teamId,
        tokenId: entry.tokenId,
        createdAt: entry.at,
        method: entry.method,
        path: entry.path.slice(0, 2048),
        operation: entry.operation,
        targetId: entry.targetId,
        status: entry.status,
        scimType: entry.scimType,
        detail: entry.detail?.slice(0, 2048) ?? null,
        durationMs: entry.durationMs,
        requestBody: jsonOrNull(redactForLog(entry.requestBody)),
        responseBody: jsonOrNull(redactForLog(entry.responseBody)),
      });
      if (buffer.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), delayMs).unref();
    },
    flush,
  };
}

function jsonOrNull(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

const globalLogger = globalThis as unknown as { __storegateScimLog?: RequestLogger };

/** The process-wide provisioning log writer. */
export function getRequestLogger(): RequestLogger {
  globalLogger.__storegateScimLog ??= createRequestLogger(async (rows) => {
    const db = await getDb();
    await db.scimRequestLog.createMany({ data: rows });
  });
  return globalLogger.__storegateScimLog;
}
