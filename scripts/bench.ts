// `npm run bench`: SCIM request-path cost, in-process on an in-memory embedded store. Each figure
// is reported with its ratio to a baseline measured in the same run, never as an absolute target.
//   A  dispatcher + store only (the protocol core on the database)
//   B  the full route (token authentication + dispatcher + store), provisioning log disabled
//   C  the full route with the provisioning log (what production runs)
// C/B is the cost of recording every request; B/A the cost of authentication.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

process.env.STOREGATE_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "storegate-bench-"));
process.env.APP_URL ??= "http://localhost:3000";

const { closeStore, getDb, setStore } = await import("../lib/db");
const { openStore } = await import("../lib/db/store");
const { createScimStore } = await import("../lib/db/scim-store");
const { handleScimRequest } = await import("../lib/scim/dispatch");
const { serveScim } = await import("../lib/http/scim-route");
const { getRequestLogger } = await import("../lib/provisioning/request-log");
const { createTeam } = await import("../lib/teams/create-team");
const { bindSsoTenantForOperations } = await import("../lib/sso/sso-connection");
const { issueScimToken } = await import("../lib/tokens/scim-tokens");

const N = Number(process.env.BENCH_N ?? 400);
setStore(await openStore({ kind: "memory" }));
const { teamId } = await createTeam({ teamName: "Bench", adminName: "Bench", email: "bench@example.com", password: "Sturdy-Passw0rd" });
await bindSsoTenantForOperations(teamId, "0d1e2c3d-0001-4a5b-8c6d-7e8f90a1b2c3");
const { secret } = await issueScimToken({ teamId, id: null, name: "Bench", role: "ADMIN" }, { name: "Bench" });
const store = createScimStore(await getDb());
const base = "http://localhost:3000/api/scim/v2";

// 1,000 users so lookups go through the indexes rather than an empty table.
for (let i = 0; i < 1000; i++) {
  await handleScimRequest({ method: "POST", path: "/Users", query: new URLSearchParams(), body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `user${i}@bench.test`, externalId: `ext-${i}` }, baseUrl: base, teamId }, store);
}

const filterQuery = (i: number) => new URLSearchParams({ filter: `userName eq "user${i % 1000}@bench.test"` });
const noLog = { record() {}, flush: async () => {} };
const realLog = getRequestLogger();

type Case = { name: string; run: (i: number) => Promise<unknown> };
const cases: Case[] = [
  { name: "A dispatcher+store", run: (i) => handleScimRequest({ method: "GET", path: "/Users", query: filterQuery(i), body: undefined, baseUrl: base, teamId }, store) },
  { name: "B route, no log", run: (i) => serveScim(new Request(`${base}/Users?${filterQuery(i)}`, { headers: { authorization: `Bearer ${secret}` } }), { logger: noLog }) },
  { name: "C route + log", run: (i) => serveScim(new Request(`${base}/Users?${filterQuery(i)}`, { headers: { authorization: `Bearer ${secret}` } }), { logger: realLog }) },
];

async function measure(c: Case): Promise<number> {
  for (let i = 0; i < 50; i++) await c.run(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < N; i++) await c.run(i);
  await realLog.flush();
  return (performance.now() - start) / N;
}

// Interleave three rounds so drift on a shared machine affects every case alike; keep the median.
const rounds: Record<string, number[]> = {};
for (let round = 0; round < 3; round++) for (const c of cases) (rounds[c.name] ??= []).push(await measure(c));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, median(v)]));
const a = ms["A dispatcher+store"]!;
const b = ms["B route, no log"]!;
const c = ms["C route + log"]!;

console.log(`SCIM GET /Users?filter=userName eq … (${N} requests × 3 rounds, 1,000 users, embedded store)`);
for (const [name, value] of Object.entries(ms)) console.log(`  ${name.padEnd(20)} ${value.toFixed(3)} ms/request  ${(1000 / value).toFixed(0).padStart(6)} req/s`);
console.log(`  authentication cost  B/A = ${(b / a).toFixed(2)}`);
console.log(`  provisioning log     C/B = ${(c / b).toFixed(2)}`);
await closeStore();
