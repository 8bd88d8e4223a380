import { describe, expect, it } from "vitest";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";

// The SCIM API over HTTP as Entra drives it, against the built app and a real store.
const PASSWORD = "Sturdy-Passw0rd";
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
let team: { teamId: string };
let token: string;
let tenantUrl: string;

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
    "0c1e2c3d-0001-4a5b-8c6d-7e8f90a1b2c3",
  ]);
  ({ token, tenantUrl } = runCliOk<{ token: string; tenantUrl: string }>(env, [
    "scim-token:issue",
    "--team",
    team.teamId,
  ]));
});

// Entra appends /Users and /Groups to the Tenant URL, keeping a feature flag query if present.
function scim(
  path: string,
  init: { method?: string; body?: unknown; raw?: string; contentType?: string; flag?: boolean } = {},
) {
  const [pathname, query] = path.split("?");
  const search = [init.flag ? "aadOptscim062020" : "", query ?? ""].filter(Boolean).join("&");
  return fetch(`${tenantUrl}${pathname}${search ? `?${search}` : ""}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${token}`, "content-type": init.contentType ?? "application/scim+json" },
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
}

const filter = (f: string) => `filter=${encodeURIComponent(f)}`;

describe("Entra's provisioning sequence over HTTP", () => {
  let userId: string;
  let groupId: string;

  it("passes Test Connection with empty ListResponses for users and groups", async () => {
    for (const path of [
      `/Users?${filter('userName eq "0f8fad5b-d9cb-469f-a165-70867728950e"')}`,
      `/Groups?excludedAttributes=members&${filter('displayName eq "0f8fad5b-d9cb-469f-a165-70867728950e"')}`,
    ]) {
      const response = await scim(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/scim\+json/);
      expect(await response.json()).toEqual({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: 0,
        startIndex: 1,
        itemsPerPage: 0,
        Resources: [],
      });
    }
  });

  it("creates a user (201 + Location) and returns every attribute as sent", async () => {
    const response = await scim("/Users", {
      method: "POST",
      body: {
        schemas: [CORE_USER, ENTERPRISE],
        externalId: "9a101327-fb5a-4ab8-b69f-a4c06b980792",
        userName: "Adele.Vance@contoso.onmicrosoft.com",
        active: true,
        emails: [{ primary: true, type: "work", value: "adele.vance@contoso.com" }],
        meta: { resourceType: "User" },
        name: { formatted: "Adele Vance", familyName: "Vance", givenName: "Adele" },
        preferredLanguage: "sv-SE",
        roles: [],
        [ENTERPRISE]: { department: "Retail" },
      },
    });
    expect(response.status).toBe(201);
    const user = (await response.json()) as {
      id: string;
      userName: string;
      meta: { location: string; resourceType: string };
    };
    expect(response.headers.get("location")).toBe(user.meta.location);
    expect(user).toMatchObject({
      userName: "Adele.Vance@contoso.onmicrosoft.com",
      active: true,
      preferredLanguage: "sv-SE",
      name: { givenName: "Adele", familyName: "Vance" },
      meta: { resourceType: "User" },
    });
    userId = user.id;
  });

  it("answers 409 uniqueness for the same userName in another case, and finds the user case-insensitively", async () => {
    const dup = await scim("/Users", {
      method: "POST",
      body: { schemas: [CORE_USER], userName: "adele.vance@CONTOSO.onmicrosoft.com" },
    });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({
      status: "409",
      scimType: "uniqueness",
      detail: expect.stringMatching(/userName/),
    });
    const found = (await (
      await scim(`/Users?${filter('userName eq "adele.vance@contoso.onmicrosoft.com"')}`)
    ).json()) as { totalResults: number; Resources: { id: string }[] };
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]?.id).toBe(userId);
  });

  it("disables with Entra's string 'False' (both dialects), keeps the user readable, and restores", async () => {
    expect(
      (
        await scim(`/Users/${userId}`, {
          method: "PATCH",
          body: {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "Replace", path: "active", value: "False" }],
          },
        })
      ).status,
    ).toBe(204);
    expect(((await (await scim(`/Users/${userId}`)).json()) as { active: boolean }).active).toBe(false);
    expect(
      (await scim(`/Users?${filter("active eq false")}`).then((r) => r.json())) as { totalResults: number },
    ).toMatchObject({ totalResults: 1 });
    expect(
      (
        await scim(`/Users/${userId}`, {
          flag: true,
          method: "PATCH",
          body: {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "replace", value: { active: true, "name.givenName": "Adèle" } }],
          },
        })
      ).status,
    ).toBe(204);
    expect(await (await scim(`/Users/${userId}?attributes=active,name.givenName`)).json()).toMatchObject({
      active: true,
      name: { givenName: "Adèle" },
    });
  });

  it("creates a group, adds members, checks membership with Entra's filter, and removes them (legacy dialect)", async () => {
    const created = await scim("/Groups", {
      method: "POST",
      body: {
        schemas: [
          "urn:ietf:params:scim:schemas:core:2.0:Group",
          "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
        ],
        externalId: "g-1",
        displayName: "Sales",
        meta: { resourceType: "Group" },
      },
    });
    expect(created.status).toBe(201);
    groupId = ((await created.json()) as { id: string }).id;
    const add = await scim(`/Groups/${groupId}`, {
      method: "PATCH",
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: userId }] }],
      },
    });
    expect(add.status).toBe(204);
    const member = (await (
      await scim(`/Groups?${filter(`id eq "${groupId}" and members eq "${userId}"`)}&attributes=id`)
    ).json()) as { totalResults: number };
    expect(member.totalResults).toBe(1);
    const remove = await scim(`/Groups/${groupId}`, {
      method: "PATCH",
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: userId }] }],
      },
    });
    expect(remove.status).toBe(204);
    expect(
      (
        (await (await scim(`/Groups?${filter(`id eq "${groupId}" and members eq "${userId}"`)}`)).json()) as {
          totalResults: number;
        }
      ).totalResults,
    ).toBe(0);
  });

  it("deletes the user (204), then 404 on GET and on a second DELETE", async () => {
    expect((await scim(`/Users/${userId}`, { method: "DELETE" })).status).toBe(204);
    expect((await scim(`/Users/${userId}`)).status).toBe(404);
    const again = await scim(`/Users/${userId}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
    });
  });
});

describe("client mistakes get SCIM errors, never a 500", () => {
  it("accepts application/json bodies", async () => {
    const response = await scim("/Users", {
      method: "POST",
      contentType: "application/json",
      body: { schemas: [CORE_USER], userName: "json@contoso.test" },
    });
    expect(response.status).toBe(201);
  });

  it.each([
    ["malformed JSON", { method: "POST", raw: '{"userName": ' }, "/Users", 400, "invalidSyntax"],
    ["an invalid filter", {}, `/Users?${filter('userName eq "x" and')}`, 400, "invalidFilter"],
    [
      "changing the id",
      {
        method: "PATCH",
        body: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "id", value: "x" }],
        },
      },
      "/Users/{id}",
      400,
      "mutability",
    ],
    [
      "an unknown path",
      {
        method: "PATCH",
        body: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", path: "emails[type eq", value: "x" }],
        },
      },
      "/Users/{id}",
      400,
      "invalidPath",
    ],
  ] as const)("%s", async (_name, init, path, status, scimType) => {
    const user = (await (
      await scim("/Users", {
        method: "POST",
        body: { schemas: [CORE_USER], userName: `m-${Math.random()}@contoso.test` },
      })
    ).json()) as { id: string };
    const response = await scim(path.replace("{id}", user.id), init);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(status),
      scimType,
      detail: expect.any(String),
    });
  });

  it("never answers a malformed request with a 500", async () => {
    const user = (await (
      await scim("/Users", {
        method: "POST",
        body: { schemas: [CORE_USER], userName: `fuzz-${Math.random()}@contoso.test` },
      })
    ).json()) as { id: string };
    const patch = (ops: unknown) => ({
      method: "PATCH",
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: ops },
    });
    const cases: [string, Parameters<typeof scim>[1]][] = [
      ...[
        [],
        "text",
        null,
        5,
        { userName: 5 },
        { userName: "" },
        { userName: "x@y", emails: "no" },
        { userName: "x@y", active: "maybe" },
        { userName: "x@y", name: 7 },
        { userName: "x@y", [ENTERPRISE]: { manager: { value: 5 } } },
        { userName: "x@y", roles: "{bad json" },
      ].map((body) => ["/Users", { method: "POST", body }] as [string, Parameters<typeof scim>[1]]),
      [`/Users/${user.id}`, { method: "PATCH", body: { Operations: "x" } }],
      [`/Users/${user.id}`, patch([{ op: "jump", path: "title", value: "x" }])],
      [`/Users/${user.id}`, patch([{ op: "add", path: "emails[type eq", value: 1 }])],
      [`/Users/${user.id}`, patch([{ op: "replace", path: "name.givenName", value: { nested: true } }])],
      [`/Users/${user.id}`, patch([{ op: "remove" }])],
      [`/Users/${user.id}`, { method: "PUT", body: { userName: 12 } }],
      ["/Users?startIndex=abc&count=-1", {}],
      ["/Users?filter=", {}],
      [`/Users?filter=${encodeURIComponent('emails[type eq "work"')}`, {}],
      [`/Users?filter=${encodeURIComponent("title gt 5 and (")}`, {}],
      [`/Users?attributes=${encodeURIComponent("name..x,,")}`, {}],
      ["/Users/%E0%A4%A", {}],
      ["/Nope", {}],
      ["/ServiceProviderConfig", { method: "DELETE" }],
      ["/Groups/00000000-0000-0000-0000-000000000000", { method: "PUT", body: { displayName: "x" } }],
      [
        "/Groups",
        {
          method: "POST",
          body: { displayName: "Bad members", members: [{ value: "00000000-0000-0000-0000-000000000000" }] },
        },
      ],
      ["/Groups", { method: "POST", body: { displayName: ["array"] } }],
    ];
    for (const [path, init] of cases) {
      const response = await scim(path, init);
      expect(response.status, `${init?.method ?? "GET"} ${path} ${JSON.stringify(init?.body)}`).toBeLessThan(500);
      if (response.status >= 400)
        expect(await response.json()).toMatchObject({
          schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
          status: String(response.status),
        });
    }
  });

  it("refuses bodies over the documented limit with 413", async () => {
    const response = await scim("/Users", {
      method: "POST",
      raw: JSON.stringify({ schemas: [CORE_USER], userName: "big@contoso.test", title: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ status: "413" });
  });
});

describe("provisioning log", () => {
  it("records each request with its operation, status and redacted, capped bodies", async () => {
    // Its own requests, so it does not depend on the other tests: a create, a duplicate (409) and an oversized body
    // (413).
    expect(
      (
        await scim("/Users", {
          method: "POST",
          body: { schemas: [CORE_USER], userName: "logged@contoso.test", password: "Hunter2-secret!" },
        })
      ).status,
    ).toBe(201);
    expect(
      (await scim("/Users", { method: "POST", body: { schemas: [CORE_USER], userName: "LOGGED@contoso.test" } }))
        .status,
    ).toBe(409);
    expect(
      (
        await scim("/Users", {
          method: "POST",
          raw: JSON.stringify({
            schemas: [CORE_USER],
            userName: "huge@contoso.test",
            title: "x".repeat(1024 * 1024 + 10),
          }),
        })
      ).status,
    ).toBe(413);
    const admin = new HttpClient(app.server.url);
    expect(await admin.signIn("ada@contoso.test", PASSWORD)).toBe(true);
    type Entry = {
      operation: string;
      status: number;
      method: string;
      path: string;
      tokenId: string | null;
      requestBody: unknown;
      scimType: string | null;
    };
    let entries: Entry[] = [];
    // Written in batches off the request path: poll until the batch lands (bounded).
    const landed = () =>
      entries.some((e) => e.status === 413) &&
      entries.some((e) => e.status === 409 && JSON.stringify(e.requestBody ?? "").includes("LOGGED@contoso.test"));
    for (let i = 0; i < 100 && !landed(); i++) {
      entries = (
        (await (await admin.fetch(`/api/teams/${team.teamId}/provisioning-log`)).json()) as { entries: Entry[] }
      ).entries;
      await new Promise((r) => setTimeout(r, 100));
    }
    const create = entries.find((e) => JSON.stringify(e.requestBody ?? "").includes("logged@contoso.test"));
    expect(create).toMatchObject({
      operation: "Create user",
      status: 201,
      method: "POST",
      path: "/Users",
      tokenId: expect.any(String),
    });
    expect(JSON.stringify(create)).not.toContain("Hunter2-secret!");
    expect(
      entries.find((e) => e.status === 409 && JSON.stringify(e.requestBody ?? "").includes("LOGGED@contoso.test")),
    ).toMatchObject({ scimType: "uniqueness" });
    const big = entries.find((e) => e.status === 413);
    expect(big).toBeDefined();
    expect(JSON.stringify(entries)).not.toContain(token);
  });
});
