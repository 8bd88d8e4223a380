import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { cli, freePort, root } from "./server";
import { SERVER_NODE_FLAGS } from "../node-flags";

const dataDir = mkdtempSync(path.join(tmpdir(), "storegate-prof-"));
const port = await freePort();
const env = { STOREGATE_DATA_DIR: dataDir, APP_URL: `http://localhost:${port}` };
const team = cli<{ teamId: string }>(env, ["team:create","--name","B","--admin-email","b@example.com","--admin-password","Sturdy-Passw0rd","--entra-tenant","0d1e2c3d-0042-4a5b-8c6d-7e8f90a1b2c3"]);
const { token } = cli<{ token: string }>(env, ["scim-token:issue", "--team", team.teamId, "--name", "B"]);
const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, "--cpu-prof", "--cpu-prof-dir=/tmp/prof", "scripts/serve.mjs", "-p", String(port), "-H", "127.0.0.1"], { cwd: root, env: { ...process.env, ...env, NODE_ENV: "production", DATABASE_URL: "" }, stdio: "inherit" });
for (;;) { try { if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) break; } catch {} await new Promise(r => setTimeout(r, 200)); }
let i = 0;
const mode = process.argv[2] ?? "create";
const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 10, duration: 10, headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
  requests: [{ method: mode === "create" ? "POST" : "GET", setupRequest: (req) => { const n = i++; return mode === "create" ? { ...req, path: "/api/scim/v2/Users", body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `n${n}@bench.test`, externalId: `e${n}`, active: true, displayName: `N ${n}`, emails: [{ primary: true, type: "work", value: `n${n}@bench.test` }], name: { givenName: "N", familyName: String(n) } }) } : { ...req, path: `/api/scim/v2/Users?filter=${encodeURIComponent(`userName eq "n${n % 500}@bench.test"`)}` }; } }] });
console.log(mode, r.requests.average, r.latency.p99, r.non2xx);
child.kill("SIGTERM");
await new Promise(r => child.once("exit", r));
rmSync(dataDir, { recursive: true, force: true });
