import { beforeAll, describe, expect, it } from "vitest";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";
import { generateToken } from "./token-format";

// Provisioning tokens over HTTP against the built app: issue, authenticate, rotate, revoke, isolate.
const PASSWORD = "Sturdy-Passw0rd";
const TENANT_A = "0b1e2c3d-0001-4a5b-8c6d-7e8f90a1b2c3";
const TENANT_B = "0b1e2c3d-0002-4a5b-8c6d-7e8f90a1b2c3";
let a: { teamId: string; token: string; tokenId: string; tenantUrl: string };
let b: { teamId: string; token: string };

const app = useTestApp((env) => {
  const teamA = runCliOk(env, [
    "team:create",
    "--name",
    "Contoso",
    "--admin-email",
    "ada@contoso.test",
    "--admin-password",
    PASSWORD,
    "--entra-tenant",
    TENANT_A,
  ]);
  const teamB = runCliOk(env, [
    "team:create",
    "--name",
    "Fabrikam",
    "--admin-email",
    "bo@fabrikam.test",
    "--admin-password",
    PASSWORD,
    "--entra-tenant",
    TENANT_B,
  ]);
  const tokenA = runCliOk(env, ["scim-token:issue", "--team", teamA.teamId!, "--name", "Entra"]);
  const tokenB = runCliOk(env, ["scim-token:issue", "--team", teamB.teamId!]);
  a = { teamId: teamA.teamId!, token: tokenA.token!, tokenId: tokenA.tokenId!, tenantUrl: tokenA.tenantUrl! };
  b = { teamId: teamB.teamId!, token: tokenB.token! };
});

const scim = (token: string | null, path: string, init: RequestInit = {}) =>
  fetch(`${app.server.url}/api/scim/v2${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/scim+json",
      ...init.headers,
    },
  });

const probe = (token: string | null) =>
  scim(token, `/Users?filter=${encodeURIComponent('userName eq "7e1b8e7d-44c8-4c1e-9f0a-1d2c3b4a5f60"')}`);

async function expect401(response: Response, detail: RegExp) {
  expect(response.status).toBe(401);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(response.headers.get("content-type")).toMatch(/application\/scim\+json/);
  expect(await response.json()).toEqual({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: "401",
    detail: expect.stringMatching(detail),
  });
}

describe("SCIM authentication", () => {
  it("prints the token once from the CLI, in the recognisable format, with the Tenant URL", () => {
    expect(a.token).toMatch(/^sgp_[0-9A-Za-z]{49}$/);
    expect(a.tenantUrl).toBe(`${app.server.url}/api/scim/v2`);
  });

  it("answers Entra's Test Connection probe with an empty ListResponse", async () => {
    const response = await probe(a.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      Resources: [],
    });
  });

  it("refuses a missing, foreign, mistyped or unknown token with 401 and WWW-Authenticate", async () => {
    const flipped = `${a.token.slice(0, 10)}${a.token[10] === "A" ? "B" : "A"}${a.token.slice(11)}`;
    await expect401(await probe(null), /Bearer/);
    await expect401(await probe("not-a-storegate-token"), /start with sgp_/);
    await expect401(await probe(flipped), /checksum/);
    await expect401(await probe(generateToken().token), /Unknown provisioning token/);
  });

  it("keeps teams apart: team B's token never sees team A's users", async () => {
    const created = await scim(a.token, "/Users", {
      method: "POST",
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "alice@contoso.test",
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await scim(b.token, `/Users/${id}`)).status).toBe(404);
    const list = (await (
      await scim(b.token, `/Users?filter=${encodeURIComponent('userName eq "alice@contoso.test"')}`)
    ).json()) as { totalResults: number };
    expect(list.totalResults).toBe(0);
    expect((await scim(a.token, `/Users/${id}`)).status).toBe(200);
  });
});

describe("token management through the console API", () => {
  let admin: HttpClient;
  beforeAll(async () => {
    admin = new HttpClient(app.server.url);
    expect(await admin.signIn("ada@contoso.test", PASSWORD)).toBe(true);
  });

  it("issues a token shown once, stored only as a hash, listed by its last 4", async () => {
    const issued = await admin.json(`/api/teams/${a.teamId}/scim-tokens`, "POST", {
      name: "Second",
      expiresInDays: 30,
    });
    expect(issued.status).toBe(201);
    const body = (await issued.json()) as { secret: string; token: { id: string; last4: string; status: string } };
    expect(body.secret.endsWith(body.token.last4)).toBe(true);
    expect(body.token.status).toBe("expiring_soon");
    const list = await (await admin.fetch(`/api/teams/${a.teamId}/scim-tokens`)).text();
    expect(list).not.toContain(body.secret);
    expect(list).toContain(body.token.last4);
    expect((await probe(body.secret)).status).toBe(200);
    expect((await probe(a.token)).status).toBe(200); // several live tokens at once
  });

  it("refuses bad input with field errors and changes nothing", async () => {
    const before = ((await (await admin.fetch(`/api/teams/${a.teamId}/scim-tokens`)).json()) as { tokens: unknown[] })
      .tokens.length;
    for (const input of [
      { name: "", expiresInDays: 30 },
      { name: "x", expiresInDays: 0 },
      { name: "x", expiresInDays: 731 },
      { name: "x", expiresInDays: -5 },
    ]) {
      const response = await admin.json(`/api/teams/${a.teamId}/scim-tokens`, "POST", input);
      expect(response.status).toBe(422);
    }
    const after = ((await (await admin.fetch(`/api/teams/${a.teamId}/scim-tokens`)).json()) as { tokens: unknown[] })
      .tokens.length;
    expect(after).toBe(before);
  });

  it("rotates with an overlap (old keeps working) or without one (old stops at once)", async () => {
    const issue = async () =>
      (await (await admin.json(`/api/teams/${a.teamId}/scim-tokens`, "POST", { name: "Rotating" })).json()) as {
        secret: string;
        token: { id: string };
      };
    const first = await issue();
    const rotated = (await (
      await admin.json(`/api/teams/${a.teamId}/scim-tokens/${first.token.id}/rotation`, "POST", { overlapHours: 24 })
    ).json()) as { secret: string };
    expect((await probe(first.secret)).status).toBe(200);
    expect((await probe(rotated.secret)).status).toBe(200);

    const second = await issue();
    const replaced = (await (
      await admin.json(`/api/teams/${a.teamId}/scim-tokens/${second.token.id}/rotation`, "POST", { overlapHours: 0 })
    ).json()) as { secret: string };
    await expect401(await probe(second.secret), /rotated/);
    expect((await probe(replaced.secret)).status).toBe(200);
  });

  it("revokes at once; revoking again or another team's token is 404", async () => {
    const issued = (await (
      await admin.json(`/api/teams/${a.teamId}/scim-tokens`, "POST", { name: "Short-lived" })
    ).json()) as { secret: string; token: { id: string } };
    expect((await admin.json(`/api/teams/${a.teamId}/scim-tokens/${issued.token.id}`, "DELETE")).status).toBe(204);
    await expect401(await probe(issued.secret), /revoked/);
    expect((await admin.json(`/api/teams/${a.teamId}/scim-tokens/${issued.token.id}`, "DELETE")).status).toBe(404);
    expect((await admin.fetch(`/api/teams/${b.teamId}/scim-tokens`)).status).toBe(404);
  });

  it("refuses Users (403) and cross-site requests, and suspends tokens while SSO is deactivated", async () => {
    await admin.json(`/api/teams/${a.teamId}/members`, "POST", {
      name: "Uma",
      email: "uma@contoso.test",
      role: "USER",
      password: PASSWORD,
    });
    const user = new HttpClient(app.server.url);
    await user.signIn("uma@contoso.test", PASSWORD);
    expect((await user.json(`/api/teams/${a.teamId}/scim-tokens`, "POST", { name: "Nope" })).status).toBe(403);
    expect((await user.json(`/api/teams/${a.teamId}/scim-tokens/${a.tokenId}`, "DELETE")).status).toBe(403);
    expect(
      (await admin.json(`/api/teams/${a.teamId}/scim-tokens`, "POST", { name: "Nope" }, "https://evil.example")).status,
    ).toBe(403);
    expect((await probe(a.token)).status).toBe(200);

    expect((await admin.json(`/api/teams/${a.teamId}/sso`, "DELETE")).status).toBe(204);
    await expect401(await probe(a.token), /Single sign-on is deactivated/);
  });
});
