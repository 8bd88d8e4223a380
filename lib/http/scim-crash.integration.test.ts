import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../db/store";
import { type AppServer, appEnv, freePort, runCliOk, startAppServer } from "../../test/support/app-server";
import { createTestDatabase, type TestDatabase } from "../../test/support/test-database";

// Crash safety: the built app is killed with SIGKILL (no shutdown code runs) in the middle of a
// large group PATCH and of a stream of user creates, then started again on the same data. The
// store must open, a PATCH is either wholly applied or not at all (RFC 7644 §3.5.2: "each
// operation … MUST be applied atomically"), and every create Entra saw acknowledged is there.

const MEMBERS = 8000;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

let database: TestDatabase;
let env: Record<string, string>;
let server: AppServer | undefined;
let token: string;
let tenantUrl: string;
let teamId: string;
const memberIds: string[] = [];

function scim(pathname: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${tenantUrl}${pathname}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  database = await createTestDatabase();
  env = appEnv(
    await freePort(),
    database.storeOptions.kind === "postgres" ? database.storeOptions.databaseUrl : undefined,
  );
  ({ teamId } = runCliOk(env, [
    "team:create",
    "--name",
    "Crash",
    "--admin-email",
    "ada@crash.test",
    "--admin-password",
    "Sturdy-Passw0rd",
    "--entra-tenant",
    "0c1e2c3d-0002-4a5b-8c6d-7e8f90a1b2c3",
  ]));
  ({ token, tenantUrl } = runCliOk(env, ["scim-token:issue", "--team", teamId]));
  // Thousands of provisioned users, written directly (as many creates over HTTP would take minutes).
  const store = await openStore(
    database.storeOptions.kind === "postgres"
      ? database.storeOptions
      : { kind: "pglite", dataDir: env.STOREGATE_DATA_DIR!, pgliteDir: path.join(env.STOREGATE_DATA_DIR!, "pglite") },
  );
  try {
    for (let start = 0; start < MEMBERS; start += 2000) {
      const rows = Array.from({ length: Math.min(2000, MEMBERS - start) }, (_, i) => {
        const userName = `member${start + i}@crash.test`;
        return { teamId, name: userName, email: userName, userName, userNameKey: userName, scimAttributes: {} };
      });
      memberIds.push(
        ...(await store.prisma.user.createManyAndReturn({ data: rows, select: { id: true } })).map((row) => row.id),
      );
    }
  } finally {
    await store.close();
  }
  server = await startAppServer(env);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  if (env?.STOREGATE_DATA_DIR) rmSync(env.STOREGATE_DATA_DIR, { recursive: true, force: true });
});

async function memberCount(groupId: string): Promise<number> {
  const response = await scim(`/Groups/${groupId}?attributes=members`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { members?: unknown[] }).members?.length ?? 0;
}

describe("killed with SIGKILL and restarted on the same data", () => {
  // Two kill points, early and late in the PATCH (reading the body, or inside the transaction).
  it.each([200, 700])("shows a large group PATCH wholly applied or not at all (killed after %i ms)", async (delay) => {
    const created = await scim("/Groups", {
      method: "POST",
      body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `Everyone ${delay}` },
    });
    expect(created.status).toBe(201);
    const groupId = ((await created.json()) as { id: string }).id;

    let answered: number | undefined;
    const patch = scim(`/Groups/${groupId}`, {
      method: "PATCH",
      body: {
        schemas: [PATCH_OP],
        Operations: [{ op: "Add", path: "members", value: memberIds.map((value) => ({ value, type: "x" })) }],
      },
    })
      .then((response) => void (answered = response.status))
      .catch(() => {});
    await sleep(delay);
    await server!.kill();
    await patch;

    server = await startAppServer(env);
    const count = await memberCount(groupId);
    if (answered === 204) expect(count).toBe(MEMBERS);
    else expect([0, MEMBERS], `after the crash the group has ${count} of ${MEMBERS} members`).toContain(count);
  });

  it("keeps every create it acknowledged", async () => {
    const acknowledged: string[] = [];
    let running = true;
    const writer = async (lane: number) => {
      for (let i = 0; running; i++) {
        try {
          const response = await scim("/Users", {
            method: "POST",
            body: {
              schemas: [CORE_USER],
              userName: `stream-${lane}-${i}@crash.test`,
              displayName: `Stream ${lane} ${i}`,
            },
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 40) await sleep(10);
    await server!.kill();
    running = false;
    await Promise.all(lanes);

    server = await startAppServer(env);
    const missing: string[] = [];
    for (const id of acknowledged) if ((await scim(`/Users/${id}?attributes=id`)).status !== 200) missing.push(id);
    expect(
      missing,
      `${missing.length} of ${acknowledged.length} acknowledged creates are missing after the crash`,
    ).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    // The restarted process has written its provisioning log entries (these GETs) and lost none.
    const health = await fetch(`${server.url}/api/health`);
    expect(await health.json()).toMatchObject({ status: "ok", provisioningLog: { dropped: 0 } });
  });
});
