import path from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../db/store";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";
import { generateToken } from "../scim-tokens/token-format";

// Every place the console writes to (provisioning log, audit log, the server's own stdout and
// stderr) is searched for every secret this test hands it, in every way a client might misplace one.
const PASSWORD = "Sturdy-Passw0rd-7c1";
const WRONG_PASSWORD = "Wrong-Passw0rd-Guess-42";
const JSON_SECRET = "Hunter4-SuperSecret!";
const BODY_PASSWORD = "Body-Passw0rd-Field-9";
const QUERY_SECRET = "query-secret-3f9a1c";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let team: { teamId: string };
let token: string;
let revoked: { tokenId: string; token: string };
let tenantUrl: string;
const unknownToken = generateToken().token;

const app = useTestApp((env) => {
  team = runCliOk<{ teamId: string }>(env, [
    "team:create",
    "--name",
    "Contoso",
    "--admin-email",
    "ada@contoso.test",
    "--admin-password",
    PASSWORD,
    "--entra-tenant",
    "0c1e2c3d-0009-4a5b-8c6d-7e8f90a1b2c3",
  ]);
  ({ token, tenantUrl } = runCliOk<{ token: string; tenantUrl: string }>(env, [
    "scim-token:issue",
    "--team",
    team.teamId,
  ]));
  revoked = runCliOk<{ tokenId: string; token: string }>(env, [
    "scim-token:issue",
    "--team",
    team.teamId,
    "--name",
    "to revoke",
  ]);
});

function scim(pathAndQuery: string, init: { method?: string; bearer?: string; body?: string } = {}) {
  return fetch(`${tenantUrl}${pathAndQuery}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${init.bearer ?? token}`, "content-type": "application/scim+json" },
    body: init.body,
  });
}

async function dumpTable(env: Record<string, string>, table: string): Promise<string> {
  const store = await openStore(
    env.DATABASE_URL
      ? { kind: "postgres", databaseUrl: env.DATABASE_URL }
      : { kind: "pglite", dataDir: env.STOREGATE_DATA_DIR!, pgliteDir: path.join(env.STOREGATE_DATA_DIR!, "pglite") },
  );
  try {
    const rows = await store.prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
    );
    return rows.map((r) => r.row).join("\n");
  } finally {
    await store.close();
  }
}

describe("no secret reaches a log", () => {
  it("keeps tokens and passwords out of the provisioning log, the audit log and server output", async () => {
    const admin = new HttpClient(app.server.url);
    expect(await admin.signIn("ada@contoso.test", WRONG_PASSWORD)).toBe(false);
    expect(await admin.signIn("ADA@contoso.test", PASSWORD)).toBe(true);
    expect(
      (
        await admin.fetch(`/api/teams/${team.teamId}/scim-tokens/${revoked.tokenId}`, {
          method: "DELETE",
          headers: { origin: app.server.url },
        })
      ).status,
    ).toBe(204);

    const requests: [string, Promise<Response>, number][] = [
      ["token in access_token", scim(`/Users?access_token=${token}`), 200],
      ["secret in ?TOKEN=", scim(`/Users?count=1&TOKEN=${QUERY_SECRET}`), 200],
      ["token as a resource id", scim(`/Users/${token}`), 404],
      ["token in a filter", scim(`/Users?filter=${encodeURIComponent(`userName eq "${token}"`)}`), 200],
      [
        "password in invalid JSON",
        scim("/Users", { method: "POST", body: `{"userName": "leak@contoso.test", "password": ${JSON_SECRET}}` }),
        400,
      ],
      [
        "password attribute",
        scim("/Users", {
          method: "POST",
          body: JSON.stringify({ schemas: [CORE_USER], userName: "pw@contoso.test", password: BODY_PASSWORD }),
        }),
        201,
      ],
      ["revoked token", scim("/Users", { bearer: revoked.token }), 401],
      ["unknown token", scim("/Users", { bearer: unknownToken }), 401],
    ];
    for (const [name, response, status] of requests) {
      const answer = await response;
      expect(answer.status, name).toBe(status);
      const text = await answer.text();
      if (status === 400) {
        expect(JSON.parse(text)).toMatchObject({
          scimType: "invalidSyntax",
          detail: expect.stringMatching(/line 1, column 47/),
        });
        expect(text).not.toContain(JSON_SECRET);
      }
    }
    const user = (await (
      await scim("/Users?filter=" + encodeURIComponent('userName eq "pw@contoso.test"'))
    ).json()) as { Resources: { id: string }[] };
    const patch = await scim(`/Users/${user.Resources[0]!.id}`, {
      method: "PATCH",
      body: JSON.stringify({
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", path: "password", value: BODY_PASSWORD }],
      }),
    });
    expect(patch.status).toBeLessThan(500);

    // The log is written in batches off the request path: wait until all ten team requests are in.
    let entries: { path: string; status: number; detail: string | null }[] = [];
    for (let i = 0; i < 100 && entries.length < 10; i++) {
      entries = (
        (await (await admin.fetch(`/api/teams/${team.teamId}/provisioning-log`)).json()) as { entries: typeof entries }
      ).entries;
      if (entries.length < 10) await new Promise((r) => setTimeout(r, 100));
    }
    expect(entries.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        "/Users?access_token=[redacted]",
        "/Users?count=1&TOKEN=[redacted]",
        "/Users/sgp_[redacted]",
      ]),
    );
    expect(entries.find((e) => e.detail?.includes("not valid JSON"))?.detail).toMatch(
      /^The request body is not valid JSON: .* at line 1, column 47\.$/,
    );
    expect(entries.filter((e) => e.status === 401)).toHaveLength(1);

    await app.server.stop();
    const sinks = {
      "provisioning log": await dumpTable(app.server.env, "ScimRequestLog"),
      "audit log": await dumpTable(app.server.env, "AuditEvent"),
      "server output": app.server.output(),
    };
    expect(sinks["provisioning log"]).toContain("sgp_[redacted]");
    expect(sinks["audit log"]).toContain("auth.password_failed");
    const secrets = {
      PASSWORD,
      WRONG_PASSWORD,
      JSON_SECRET,
      BODY_PASSWORD,
      QUERY_SECRET,
      token,
      revokedToken: revoked.token,
      unknownToken,
    };
    for (const [sink, text] of Object.entries(sinks)) {
      for (const [name, secret] of Object.entries(secrets)) {
        expect(text.includes(secret), `${name} found in the ${sink}`).toBe(false);
        // A redaction that only dropped the sgp_ prefix would still leak the random part.
        if (secret.startsWith("sgp_"))
          expect(text.includes(secret.slice(4)), `${name} (without prefix) found in the ${sink}`).toBe(false);
      }
    }
  });
});
