// Where the machine's CPU went during a load: each console server, PostgreSQL's processes, the
// load generator (this process) and the machine as a whole, in cores (1.0 = one core busy for
// the whole interval). Linux /proc only; on other systems every figure is null.
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

type Snapshot = { at: number; machineBusyTicks: number | null; servers: (number | null)[]; postgres: number | null };

export type CpuUse = {
  /** Cores the machine has, and how many of them were busy on average. */
  machineCores: number;
  machineBusyCores: number | null;
  serverCores: (number | null)[];
  postgresCores: number | null;
  loadGeneratorCores: number;
};

function processTicks(pid: number): number | null {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function postgresTicks(): number | null {
  try {
    let total = 0;
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres")
          total += processTicks(Number(entry)) ?? 0;
      } catch {
        // the process ended while we looked
      }
    }
    return total;
  } catch {
    return null;
  }
}

function machineBusyTicks(): number | null {
  try {
    const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values.map(Number);
    return user + nice + system + irq + softirq + steal;
  } catch {
    return null;
  }
}

let benchCpu = process.cpuUsage();

/** Starts measuring; call the returned function when the load is over. */
export function measureCpu(serverPids: number[]): () => CpuUse {
  const start: Snapshot = {
    at: performance.now(),
    machineBusyTicks: machineBusyTicks(),
    servers: serverPids.map(processTicks),
    postgres: postgresTicks(),
  };
  benchCpu = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - start.at) / 1000;
    const cores = (before: number | null, after: number | null) =>
      before === null || after === null
        ? null
        : Math.round(((after - before) / TICKS_PER_SECOND / seconds) * 100) / 100;
    const bench = process.cpuUsage(benchCpu);
    return {
      machineCores: cpus().length,
      machineBusyCores: cores(start.machineBusyTicks, machineBusyTicks()),
      serverCores: serverPids.map((pid, i) => cores(start.servers[i] ?? null, processTicks(pid))),
      postgresCores: cores(start.postgres, postgresTicks()),
      loadGeneratorCores: Math.round(((bench.user + bench.system) / 1e6 / seconds) * 100) / 100,
    };
  };
}
