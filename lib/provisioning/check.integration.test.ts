import { describe, expect, it } from "vitest";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";

// POST /api/teams/[teamId]/provisioning-check against the built app: the check talks to the same
// server's SCIM endpoint over HTTP and must leave the team's own directory as it was.
const PASSWORD = "Sturdy-Passw0rd";
let a: { teamId: string; token: string };
let b: { teamId: string };
let c: { teamId: string };

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
    "0b1e2c3d-0011-4a5b-8c6d-7e8f90a1b2c3",
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
    "0b1e2c3d-0012-4a5b-8c6d-7e8f90a1b2c3",
  ]);
  const teamC = runCliOk(env, [
    "team:create",
    "--name",
    "Northwind",
    "--admin-email",
    "cy@northwind.test",
    "--admin-password",
    PASSWORD,
  ]);
  a = { teamId: teamA.teamId!, token: runCliOk(env, ["scim-token:issue", "--team", teamA.teamId!]).token! };
  b = { teamId: teamB.teamId! };
  c = { teamId: teamC.teamId! };
});

const STEPS = [
  "Test Connection: users",
  "Test Connection: groups",
  "Create user",
  "Find user",
  "Update user",
  "Disable user",
  "Re-enable user",
  "Create group",
  "Add member",
  "Remove member",
  "Delete user",
  "Delete group",
];

async function signedIn(email: string) {
  const client = new HttpClient(app.server.url);
  expect(await client.signIn(email, PASSWORD)).toBe(true);
  return client;
}

const scimCount = async (token: string, kind: "Users" | "Groups") =>
  (
    (await (
      await fetch(`${app.server.url}/api/scim/v2/${kind}?count=0`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { totalResults: number }
  ).totalResults;

describe("provisioning check", () => {
  it("passes every step and leaves the team's users, groups and tokens as they were", async () => {
    const client = await signedIn("ada@contoso.test");
    await fetch(`${app.server.url}/api/scim/v2/Groups`, {
      method: "POST",
      headers: { authorization: `Bearer ${a.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Real group" }),
    });
    const before = {
      users: await scimCount(a.token, "Users"),
      groups: await scimCount(a.token, "Groups"),
      tokens: await (await client.fetch(`/api/teams/${a.teamId}/scim-tokens`)).json(),
    };

    const response = await client.json(`/api/teams/${a.teamId}/provisioning-check`, "POST");
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      passed: boolean;
      passedCount: number;
      failedCount: number;
      steps: { name: string; passed: boolean; durationMs: number }[];
    };
    expect(result.steps.filter((s) => !s.passed)).toEqual([]);
    expect(result).toMatchObject({ passed: true, passedCount: STEPS.length, failedCount: 0 });
    expect(result.steps.map((s) => s.name)).toEqual(STEPS);

    expect({
      users: await scimCount(a.token, "Users"),
      groups: await scimCount(a.token, "Groups"),
      tokens: await (await client.fetch(`/api/teams/${a.teamId}/scim-tokens`)).json(),
    }).toEqual(before);
    const page = await (await client.fetch("/settings/team/provisioning")).text();
    expect(page).toContain("Last provisioning check");
    expect(page).toMatch(/passed/);
    // The sandbox's request log is written before the sandbox is removed: no entry is lost.
    expect(page).not.toContain("could not be saved");
    expect(app.server.output()).not.toContain("[scim-log]");
  });

  it("runs one check at a time per team", async () => {
    const client = await signedIn("ada@contoso.test");
    const statuses = (
      await Promise.all([1, 2].map(() => client.json(`/api/teams/${a.teamId}/provisioning-check`, "POST")))
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([200, 409]);
  });

  it("answers 404 for another team, refuses a cross-site request, and needs single sign-on", async () => {
    const client = await signedIn("ada@contoso.test");
    expect((await client.json(`/api/teams/${b.teamId}/provisioning-check`, "POST")).status).toBe(404);
    expect(
      (await client.json(`/api/teams/${a.teamId}/provisioning-check`, "POST", undefined, "https://evil.example"))
        .status,
    ).toBe(403);
    expect(
      (await new HttpClient(app.server.url).json(`/api/teams/${a.teamId}/provisioning-check`, "POST")).status,
    ).toBe(401);
    const noSso = await signedIn("cy@northwind.test");
    const refused = await noSso.json(`/api/teams/${c.teamId}/provisioning-check`, "POST");
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await refused.json())).toMatch(/Single sign-on must be active/);
  });
});
