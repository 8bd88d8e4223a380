import { describe, expect, it } from "vitest";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";

// The members console API over HTTP on the built app: search in the query string, the duplicate
// email answer, and "Sign out everywhere" (Administrators only, same-origin, another team's 404).
const PASSWORD = "Sturdy-Passw0rd";
type Team = { teamId: string; adminUserId: string };
let teamA: Team;
let teamB: Team;
const app = useTestApp((env) => {
  teamA = runCliOk<Team>(env, [
    "team:create",
    "--name",
    "Contoso",
    "--admin-email",
    "ada@contoso.test",
    "--admin-password",
    PASSWORD,
  ]);
  teamB = runCliOk<Team>(env, [
    "team:create",
    "--name",
    "Fabrikam",
    "--admin-email",
    "bo@fabrikam.test",
    "--admin-password",
    PASSWORD,
  ]);
});

async function signedIn(email: string): Promise<HttpClient> {
  const client = new HttpClient(app.server.url);
  expect(await client.signIn(email, PASSWORD)).toBe(true);
  return client;
}

describe("members API", () => {
  it("searches and filters through the query string", async () => {
    const admin = await signedIn("ada@contoso.test");
    for (const name of ["Quinn One", "Quinn Two", "Quinn Three"]) {
      expect(
        (
          await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
            name,
            email: `${name.replace(" ", ".").toLowerCase()}@contoso.test`,
            role: "USER",
            password: PASSWORD,
          })
        ).status,
      ).toBe(201);
    }
    const page = (await (
      await admin.fetch(`/api/teams/${teamA.teamId}/members?q=quinn&source=password&status=active&role=USER`)
    ).json()) as { members: { name: string }[]; total: number };
    expect(page.members.map((m) => m.name)).toEqual(["Quinn One", "Quinn Three", "Quinn Two"]);
    expect(page.total).toBe(3);
    expect(
      (
        (await (await admin.fetch(`/api/teams/${teamA.teamId}/members?q=quinn&role=ADMIN`)).json()) as {
          members: unknown[];
        }
      ).members,
    ).toEqual([]);
  });

  it("answers 409 for an email the team already has until the Administrator confirms", async () => {
    const admin = await signedIn("ada@contoso.test");
    // The API asks before it checks sign-in emails. The confirmed case that succeeds (a provisioned
    // member already using the address) is covered in members.integration.test.ts.
    const first = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
      name: "Sam Shared",
      email: "sam.shared@contoso.test",
      role: "USER",
      password: PASSWORD,
    });
    expect(first.status).toBe(201);
    const second = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
      name: "Sam Again",
      email: "SAM.shared@contoso.test",
      role: "USER",
      password: PASSWORD,
    });
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({
      error: {
        code: "conflict",
        message: expect.stringMatching(/already uses this email/),
        fields: { confirmDuplicateEmail: expect.any(String) },
      },
    });
    // Confirmed, the address is still the first one's sign-in email: refused as a login clash.
    const confirmed = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
      name: "Sam Again",
      email: "sam.shared@contoso.test",
      role: "USER",
      password: PASSWORD,
      confirmDuplicateEmail: true,
    });
    expect(confirmed.status).toBe(409);
    expect(((await confirmed.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      email: "An account with this email already exists.",
    });
  });

  it("signs a member out everywhere: Administrators only, same origin only, another team's member is 404", async () => {
    const admin = await signedIn("ada@contoso.test");
    const created = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
      name: "Uma User",
      email: "uma@contoso.test",
      role: "USER",
      password: PASSWORD,
    });
    const { userId } = (await created.json()) as { userId: string };
    const uma = await signedIn("uma@contoso.test");
    const umaOnPhone = await signedIn("uma@contoso.test");
    // The directory itself is for Administrators: a plain User may not list the team.
    expect((await uma.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(403);

    expect((await uma.json(`/api/teams/${teamA.teamId}/members/${userId}/session-revocation`, "POST")).status).toBe(
      403,
    );
    expect(
      (
        await admin.json(
          `/api/teams/${teamA.teamId}/members/${userId}/session-revocation`,
          "POST",
          undefined,
          "https://evil.example",
        )
      ).status,
    ).toBe(403);
    expect(
      (await admin.json(`/api/teams/${teamA.teamId}/members/${teamB.adminUserId}/session-revocation`, "POST")).status,
    ).toBe(404);
    expect(
      (await admin.json(`/api/teams/${teamB.teamId}/members/${teamB.adminUserId}/session-revocation`, "POST")).status,
    ).toBe(404);

    const revoked = await admin.json(`/api/teams/${teamA.teamId}/members/${userId}/session-revocation`, "POST");
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toEqual({ sessionsEnded: 2 });
    expect((await uma.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(401);
    expect((await umaOnPhone.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(401);
    expect((await admin.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(200);
  });
});
