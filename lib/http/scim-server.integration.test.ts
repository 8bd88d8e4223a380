import { rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../db/store";
import { type AppServer, appEnv, freePort, runCliOk, startAppServer } from "../../test/support/app-server";
import { createTestDatabase, type TestDatabase } from "../../test/support/test-database";

// The console's server (scripts/serve.mjs) answers Entra's SCIM requests itself and leaves the rest
// to Next.js. What a client sees must not depend on which of the two answered, and a graceful stop
// (a deploy's SIGTERM) must not lose what the server acknowledged.

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const MIB = 1024 * 1024;

let database: TestDatabase;
let env: Record<string, string>;
let server: AppServer | undefined;
let token: string;
let tenantUrl: string;
let teamId: string;

function scim(pathname: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${tenantUrl}${pathname}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  env = appEnv(
    await freePort(),
    database.storeOptions.kind === "postgres" ? database.storeOptions.databaseUrl : undefined,
  );
  ({ teamId } = runCliOk(env, [
    "team:create",
    "--name",
    "Server",
    "--admin-email",
    "ada@server.test",
    "--admin-password",
    "Sturdy-Passw0rd",
    "--entra-tenant",
    "0c1e2c3d-0003-4a5b-8c6d-7e8f90a1b2c3",
  ]));
  ({ token, tenantUrl } = runCliOk(env, ["scim-token:issue", "--team", teamId]));
  server = await startAppServer(env);
});

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  if (env?.STOREGATE_DATA_DIR) rmSync(env.STOREGATE_DATA_DIR, { recursive: true, force: true });
});

describe("SCIM over the console's server", () => {
  it("answers with the SCIM content type, a Content-Length and the security headers of every API response", async () => {
    const response = await scim("/Users?count=1");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/scim+json");
    const text = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"] });
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("answers the requests it leaves to Next.js as before", async () => {
    const malformed = await fetch(`${tenantUrl}/Users/%E0%A4%A`, { headers: { authorization: `Bearer ${token}` } });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ scimType: "invalidValue" });

    const trailingSlash = await fetch(`${tenantUrl}/Users/`, { redirect: "manual" });
    expect(trailingSlash.status).toBe(308);
    expect(trailingSlash.headers.get("location")).toBe("/api/scim/v2/Users");

    const options = await fetch(`${tenantUrl}/Users`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toContain("PATCH");
    expect(options.headers.get("content-security-policy")).toContain("default-src 'none'");
  });

  it("refuses an upload without Content-Length once it passes 1 MiB, without waiting for its end", async () => {
    const url = new URL(`${tenantUrl}/Users`);
    const { status, body, sentMiB } = await new Promise<{ status: number; body: string; sentMiB: number }>(
      (resolve, reject) => {
        let sent = 0;
        let answered = false;
        const upload = httpRequest(
          url,
          { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" } },
          (response) => {
            answered = true;
            let text = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (text += chunk));
            response.on("end", () => {
              resolve({ status: response.statusCode!, body: text, sentMiB: sent / MIB });
              upload.destroy();
            });
          },
        );
        upload.on("error", (error) => (answered ? undefined : reject(error)));
        const chunk = Buffer.alloc(64 * 1024, " ");
        // An endless body, chunked: the server must answer before it ends (capped at 64 MiB here).
        const pump = () => {
          while (!answered && sent < 64 * MIB) {
            sent += chunk.length;
            if (!upload.write(chunk)) return void upload.once("drain", pump);
          }
          if (!answered) upload.end();
        };
        pump();
      },
    );
    expect(status).toBe(413);
    expect(JSON.parse(body)).toMatchObject({ status: "413", detail: expect.stringContaining("1048576 bytes") });
    expect(sentMiB).toBeLessThan(64);
    // The server is still there for the next request.
    expect((await scim("/Users?count=1")).status).toBe(200);
  });
});

describe("clients that go away", () => {
  it("drops a request whose client disconnects mid-body, without reporting a server error", async () => {
    const { port } = new URL(tenantUrl);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(
          `POST /api/scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\n` +
            `Content-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n{"schemas":`,
        );
        setTimeout(() => socket.destroy(), 200);
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    expect((await scim("/Users?count=1")).status).toBe(200);
    // Everything the server printed is in once it has stopped.
    await server!.stop();
    const output = server!.output();
    server = await startAppServer(env);
    expect(output).toContain("SIGTERM");
    expect(output).not.toContain("unexpected error");
  });
});

describe("a graceful stop (SIGTERM)", () => {
  it("finishes the creates under way and writes every acknowledged one to the provisioning log", async () => {
    const acknowledged: string[] = [];
    let running = true;
    const writer = async (lane: number) => {
      for (let i = 0; running; i++) {
        try {
          const response = await scim("/Users", {
            method: "POST",
            body: { schemas: [CORE_USER], userName: `stop-${lane}-${i}@server.test`, displayName: `Stop ${lane} ${i}` },
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the server has stopped listening
        }
      }
    };
    const lanes = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    await server!.stop();
    running = false;
    await Promise.all(lanes);
    server = undefined;

    const store = await openStore(
      database.storeOptions.kind === "postgres"
        ? database.storeOptions
        : { kind: "pglite", dataDir: env.STOREGATE_DATA_DIR!, pgliteDir: path.join(env.STOREGATE_DATA_DIR!, "pglite") },
    );
    try {
      const logged = await store.prisma.scimRequestLog.findMany({
        where: { teamId, operation: "Create user", status: 201, targetId: { in: acknowledged } },
        select: { targetId: true },
      });
      expect(new Set(logged.map((row) => row.targetId))).toEqual(new Set(acknowledged));
    } finally {
      await store.close();
    }
  });
});
