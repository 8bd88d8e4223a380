// SCIM over HTTP against the production server, with a load generator in this process
// (autocannon, 10 connections): what Entra's provisioning service experiences. Every figure is
// reported next to the liveness route measured in the same run, the framework's own ceiling.
//
//   embedded store (default): live, readiness, lookup by filter, create; server RSS after the load
//   --postgres: a real PostgreSQL, two console instances, the lookup on one and then spread over
//               both (with where the CPU went: each server, PostgreSQL, the load generator), and
//               how long a revoked token keeps working on each instance
//
//   npx tsx scripts/bench/http.ts [--postgres] [--seconds 10]      (prints one JSON object)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { measureCpu } from "./cpu";
import { startPostgres } from "./postgres";
import { cli, ensureBuild, freePort, startServer, type BenchServer } from "./server";

export type HttpBenchOptions = { postgres?: boolean; seconds?: number; connections?: number; users?: number };

export type LoadFigure = { requestsPerSecond: number; p50Ms: number; p99Ms: number; requests: number; errors: number };

const TENANT = "0d1e2c3d-0042-4a5b-8c6d-7e8f90a1b2c3";
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

/** Closed-loop load on one or more servers at once; the figures are the sums (throughput) and the worst (latency). */
async function load(
  targets: {
    url: string;
    path: string | ((i: number) => string);
    method?: "GET" | "POST";
    body?: (i: number) => string;
    token?: string;
  }[],
  seconds: number,
  connections: number,
): Promise<LoadFigure> {
  let counter = 0;
  const runs = targets.map((target) =>
    autocannon({
      url: target.url,
      connections: Math.max(1, Math.round(connections / targets.length)),
      duration: seconds,
      headers: {
        ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
        "content-type": "application/scim+json",
      },
      requests: [
        {
          method: target.method ?? "GET",
          setupRequest: (request) => {
            const i = counter++;
            return {
              ...request,
              path: typeof target.path === "string" ? target.path : target.path(i),
              ...(target.body ? { body: target.body(i) } : {}),
            };
          },
        },
      ],
    }),
  );
  const results = await Promise.all(runs);
  const requests = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    requestsPerSecond: Math.round(results.reduce((sum, r) => sum + r.requests.average, 0)),
    p50Ms: Math.max(...results.map((r) => r.latency.p50)),
    p99Ms: Math.max(...results.map((r) => r.latency.p99)),
    requests,
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0),
  };
}

const lookupPath = (users: number) => (i: number) =>
  `/api/scim/v2/Users?filter=${encodeURIComponent(`userName eq "user${i % users}@bench.test"`)}`;
const createBody = (run: string) => (i: number) =>
  JSON.stringify({
    schemas: [USER_SCHEMA],
    userName: `new-${run}-${i}@bench.test`,
    externalId: `${run}-${i}`,
    active: true,
    displayName: `New ${i}`,
    emails: [{ primary: true, type: "work", value: `new-${run}-${i}@bench.test` }],
    name: { givenName: "New", familyName: String(i) },
  });

async function seedUsers(server: BenchServer, token: string, users: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < users; i = next++) {
      const response = await fetch(`${server.url}/api/scim/v2/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({
          schemas: [USER_SCHEMA],
          userName: `user${i}@bench.test`,
          externalId: `ext-${i}`,
          active: true,
        }),
      });
      if (response.status !== 201) throw new Error(`seeding user ${i}: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** The benchmark's team, bound to an Entra tenant, and a provisioning token for it (through the CLI). */
function createBenchTeam(env: Record<string, string>): { team: { teamId: string }; token: string } {
  const team = cli<{ teamId: string }>(env, [
    "team:create",
    "--name",
    "Bench",
    "--admin-email",
    "bench@example.com",
    "--admin-password",
    "Sturdy-Passw0rd",
    "--entra-tenant",
    TENANT,
  ]);
  const { token } = cli<{ token: string }>(env, ["scim-token:issue", "--team", team.teamId, "--name", "Bench"]);
  return { team, token };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function embedded(seconds: number, connections: number, users: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-bench-http-"));
  let server: BenchServer | undefined;
  try {
    const port = await freePort();
    const env = { STOREGATE_DATA_DIR: dataDir, APP_URL: `http://localhost:${port}` };
    const { token } = createBenchTeam(env);
    server = await startServer(env, port);
    await seedUsers(server, token, users);
    const rssBeforeMiB = server.rssMiB();
    const warm = (figure: Promise<LoadFigure>) => figure.then(() => undefined);
    await warm(load([{ url: server.url, path: lookupPath(users), token }], 2, connections));
    const live = await load([{ url: server.url, path: "/api/health/live" }], seconds, connections);
    const readiness = await load([{ url: server.url, path: "/api/health" }], seconds, connections);
    const lookup = await load([{ url: server.url, path: lookupPath(users), token }], seconds, connections);
    const create = await load(
      [{ url: server.url, path: "/api/scim/v2/Users", method: "POST", body: createBody("c"), token }],
      seconds,
      connections,
    );
    const rssAfterMiB = server.rssMiB();
    return {
      store: "embedded",
      users,
      live,
      readiness,
      lookup,
      create,
      lookupVsLive: ratio(lookup.requestsPerSecond, live.requestsPerSecond),
      createVsLive: ratio(create.requestsPerSecond, live.requestsPerSecond),
      serverRssMiB: { afterSeed: rssBeforeMiB, afterLoad: rssAfterMiB },
    };
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Polls each server with a revoked token until it answers 401; how long each kept accepting it. */
async function revocationDelays(servers: BenchServer[], token: string, revoke: () => Promise<void>): Promise<number[]> {
  const probe = (server: BenchServer) =>
    fetch(`${server.url}/api/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.status,
    );
  for (const server of servers) if ((await probe(server)) !== 200) throw new Error("the token to revoke does not work");
  const started = performance.now();
  await revoke();
  return Promise.all(
    servers.map(async (server) => {
      while ((await probe(server)) !== 401) {
        if (performance.now() - started > 30_000) return Number.POSITIVE_INFINITY;
      }
      return Math.round(performance.now() - started);
    }),
  );
}

async function postgres(seconds: number, connections: number, users: number) {
  const database = startPostgres(await freePort());
  const servers: BenchServer[] = [];
  const dataDirs: string[] = [];
  try {
    const ports = [await freePort(), await freePort()];
    const envFor = (port: number) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-bench-http-"));
      dataDirs.push(dataDir);
      // Several instances serve one site: one APP_URL and one AUTH_SECRET for all of them.
      return {
        STOREGATE_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        APP_URL: `http://localhost:${ports[0]}`,
        AUTH_SECRET: "bench-shared-secret-bench-shared-secret-0123",
        PORT: String(port),
      };
    };
    const env = envFor(ports[0]!);
    const { team, token } = createBenchTeam(env);
    const doomed = cli<{ token: string; tokenId: string }>(env, [
      "scim-token:issue",
      "--team",
      team.teamId,
      "--name",
      "Revoked by the bench",
    ]);
    for (const port of ports) servers.push(await startServer(envFor(port), port));
    await seedUsers(servers[0]!, token, users);
    const [a, b] = servers as [BenchServer, BenchServer];
    await load(
      [
        { url: a.url, path: lookupPath(users), token },
        { url: b.url, path: lookupPath(users), token },
      ],
      2,
      connections,
    );
    const liveOne = await load([{ url: a.url, path: "/api/health/live" }], seconds, connections);
    const pids = servers.map((server) => server.pid);
    const cpuOne = measureCpu(pids);
    const one = await load([{ url: a.url, path: lookupPath(users), token }], seconds, connections);
    const oneCpu = cpuOne();
    const cpuTwo = measureCpu(pids);
    const two = await load(
      [
        { url: a.url, path: lookupPath(users), token },
        { url: b.url, path: lookupPath(users), token },
      ],
      seconds,
      connections,
    );
    const twoCpu = cpuTwo();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const delays = await revocationDelays(servers, doomed.token, async () => {
      await client.query(`UPDATE "ScimToken" SET "revokedAt" = now() WHERE "id" = $1`, [doomed.tokenId]);
    });
    await client.end();
    return {
      store: "postgresql",
      users,
      liveOneInstance: liveOne,
      lookupOneInstance: { ...one, cpu: oneCpu },
      lookupTwoInstances: { ...two, cpu: twoCpu },
      scaleOut: ratio(two.requestsPerSecond, one.requestsPerSecond),
      revokedTokenRefusedAfterMs: delays,
      serverRssMiB: servers.map((server) => server.rssMiB()),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    database.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(opts: HttpBenchOptions = {}): Promise<Record<string, unknown>> {
  ensureBuild();
  const seconds = opts.seconds ?? 10;
  const connections = opts.connections ?? 10;
  const users = opts.users ?? 1000;
  return opts.postgres ? postgres(seconds, connections, users) : embedded(seconds, connections, users);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const seconds = args.includes("--seconds") ? Number(args[args.indexOf("--seconds") + 1]) : undefined;
  console.log(JSON.stringify(await run({ postgres: args.includes("--postgres"), seconds }), null, 2));
}
