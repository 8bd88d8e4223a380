import { describe, expect, it } from "vitest";
import { HttpClient, runCli, runCliOk, useTestApp } from "../../test/support/app-server";

// The built app over HTTP, on the embedded store (or PostgreSQL when TEST_DATABASE_URL is set).
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

describe("ops CLI", () => {
  it("prints exactly one JSON line with the new ids", () => {
    expect(teamA).toEqual({
      teamId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      adminUserId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("refuses while the server holds the embedded store, and refuses duplicates and bad input", () => {
    const busy = runCli(app.server.env, [
      "team:create",
      "--name",
      "X",
      "--admin-email",
      "x@x.test",
      "--admin-password",
      PASSWORD,
    ]);
    if (app.storeKind === "pglite") {
      expect(busy.status).toBe(1);
      expect(busy.stderr).toMatch(/in use by process \d+/);
      expect(busy.stdout).toBe("");
    } else {
      expect(busy.status).toBe(0);
      const dup = runCli(app.server.env, [
        "team:create",
        "--name",
        "X",
        "--admin-email",
        "ada@contoso.test",
        "--admin-password",
        PASSWORD,
      ]);
      expect(dup.status).toBe(1);
      expect(dup.stderr).toMatch(/already exists/);
      const bad = runCli(app.server.env, [
        "team:create",
        "--name",
        "X",
        "--admin-email",
        "nope",
        "--admin-password",
        "short",
      ]);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/email: Enter a valid email address/);
    }
  });
});

describe("console API", () => {
  it("answers 401 without a session", async () => {
    const anonymous = new HttpClient(app.server.url);
    const response = await anonymous.fetch(`/api/teams/${teamA.teamId}/members`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: "Sign in to continue." } });
  });

  it("serves the team's own members and answers 404 for another team", async () => {
    const admin = new HttpClient(app.server.url);
    expect(await admin.signIn("ADA@contoso.test", PASSWORD)).toBe(true);
    const own = await admin.fetch(`/api/teams/${teamA.teamId}/members`);
    expect(own.status).toBe(200);
    expect(((await own.json()) as { members: { id: string }[] }).members.map((m) => m.id)).toEqual([teamA.adminUserId]);
    expect((await admin.fetch(`/api/teams/${teamB.teamId}/members`)).status).toBe(404);
    const foreignPatch = await admin.json(`/api/teams/${teamA.teamId}/members/${teamB.adminUserId}`, "PATCH", {
      active: false,
    });
    expect(foreignPatch.status).toBe(404);
  });

  it("refuses a wrong password with no session", async () => {
    const client = new HttpClient(app.server.url);
    expect(await client.signIn("ada@contoso.test", "Wrong-Passw0rd")).toBe(false);
  });

  it("refuses cross-site and Origin-less writes, changing nothing", async () => {
    const admin = new HttpClient(app.server.url);
    await admin.signIn("ada@contoso.test", PASSWORD);
    const member = { name: "Eve", email: "eve@contoso.test", role: "USER", password: PASSWORD };
    for (const origin of ["https://evil.example", null]) {
      const response = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", member, origin);
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ error: { code: "forbidden", message: "Cross-site request refused." } });
    }
    const list = (await (await admin.fetch(`/api/teams/${teamA.teamId}/members`)).json()) as { total: number };
    expect(list.total).toBe(1);
  });

  it("validates input with field messages, and a User gets 403 and changes nothing", async () => {
    const admin = new HttpClient(app.server.url);
    await admin.signIn("ada@contoso.test", PASSWORD);
    const invalid = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
      name: "",
      email: "x",
      role: "OWNER",
      password: "short",
    });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({
      error: {
        code: "validation",
        fields: {
          name: "Enter a name.",
          email: expect.any(String),
          role: expect.any(String),
          password: "Use at least 10 characters.",
        },
      },
    });
    const notJson = await admin.fetch(`/api/teams/${teamA.teamId}/members`, {
      method: "POST",
      headers: { origin: app.server.url, "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(422);

    const created = await admin.json(`/api/teams/${teamA.teamId}/members`, "POST", {
      name: "Uma",
      email: "uma@contoso.test",
      role: "USER",
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    const { userId } = (await created.json()) as { userId: string };

    const user = new HttpClient(app.server.url);
    expect(await user.signIn("uma@contoso.test", PASSWORD)).toBe(true);
    // The directory is for Administrators.
    expect((await user.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(403);
    const forbidden = await user.json(`/api/teams/${teamA.teamId}/members/${teamA.adminUserId}`, "PATCH", {
      active: false,
    });
    expect(forbidden.status).toBe(403);

    // Disabling the User ends their session on the very next request.
    expect((await admin.json(`/api/teams/${teamA.teamId}/members/${userId}`, "PATCH", { active: false })).status).toBe(
      204,
    );
    expect((await user.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(401);
    expect((await admin.fetch(`/api/teams/${teamA.teamId}/members`)).status).toBe(200);
  });
});

describe("pages", () => {
  it("answer 404 for unknown routes and send signed-out visitors to the login page", async () => {
    const client = new HttpClient(app.server.url);
    expect((await client.fetch("/definitely/not/here")).status).toBe(404);
    const console = await client.fetch("/settings/team/settings");
    expect(console.status).toBe(307);
    expect(console.headers.get("location")).toMatch(/\/login$/);
  });
});
