// A throwaway PostgreSQL server on a loopback port for the scale-out benchmark, as
// .ci/with-postgres.sh starts one for the tests: Debian's binaries, a temporary data directory
// (removed on stop), trust authentication on 127.0.0.1 only.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type BenchPostgres = { url: string; stop(): void };

function binDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).sort((a, b) => Number(a) - Number(b)) : [];
  const dir = versions.length ? path.join(base, versions.at(-1)!, "bin") : "";
  if (!dir || !existsSync(path.join(dir, "initdb")))
    throw new Error("PostgreSQL is not installed: apt-get install -y postgresql");
  return dir;
}

export function startPostgres(port: number): BenchPostgres {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "storegate-bench-pg-"));
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  // PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
  const run = (command: string) =>
    asRoot
      ? execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", command], { stdio: "ignore" })
      : execFileSync("sh", ["-c", command], { stdio: "ignore" });
  run(`${bin}/initdb -D ${dir}/data -U postgres --auth=trust -E UTF8`);
  run(
    `${bin}/pg_ctl -D ${dir}/data -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200' -l ${dir}/pg.log -w start`,
  );
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(`${bin}/pg_ctl -D ${dir}/data -m fast -w stop`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
