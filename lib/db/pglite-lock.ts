import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";

// PGlite is a single-process database: two processes opening one data directory corrupt it.
// A pid file beside the data makes the second opener fail with a clear message instead.
export class StoreInUseError extends Error {
  override name = "StoreInUseError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const held = new Set<string>();

export function acquirePGliteLock(dataDir: string): () => void {
  const file = path.join(dataDir, "pglite.lock");
  if (held.has(file)) return () => {};
  mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      const release = () => {
        if (!held.delete(file)) return;
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new StoreInUseError(
          `The embedded store in ${dataDir} is in use by process ${pid} (is the console running?). ` +
            `Stop it first, or point DATABASE_URL at a PostgreSQL server that several processes can share.`,
        );
      }
      unlinkSync(file); // left behind by a process that died
    }
  }
  throw new StoreInUseError(`Could not lock the embedded store in ${dataDir}.`);
}
