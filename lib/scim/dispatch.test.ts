import { beforeEach, describe, expect, it } from "vitest";
import { handleScimRequest, InvalidJsonBody, type ScimRequest, type ScimResponse } from "./dispatch";
import { memberSetPatch } from "./member-set-patch";
import { type GroupRecord, patchGroup } from "./group";
import { MemoryStore } from "../../test/support/scim-memory-store";
import { parsePatchRequest } from "./patch";

// Replays Entra's request sequences (Microsoft's “Develop and plan provisioning for a SCIM endpoint”) through the
// request entry point against
// an in-memory store that implements the port with the same rules as the Prisma adapter.

const BASE = "https://console.example.com/api/scim/v2";
const TEAM = "team-a";
const OTHER_TEAM = "team-b";

let store: MemoryStore;
beforeEach(() => {
  store = new MemoryStore();
});

type Body = Record<string, unknown>;

function send(method: string, path: string, body?: unknown, teamId = TEAM): Promise<ScimResponse> {
  const [pathname = "", search = ""] = path.split("?");
  const request: ScimRequest = {
    method,
    path: pathname,
    query: new URLSearchParams(search),
    body,
    baseUrl: `${BASE}/`,
    teamId,
  };
  return handleScimRequest(request, store);
}

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/** Microsoft's “Develop and plan provisioning for a SCIM endpoint”: Entra's create-user body. */
function entraUser(userName: string, externalId = "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef") {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
    externalId,
    userName,
    active: true,
    emails: [{ primary: true, type: "work", value: `${userName}` }],
    meta: { resourceType: "User" },
    name: { formatted: "Test User", familyName: "User", givenName: "Test" },
    roles: [],
  };
}

/**
 * Microsoft's “Develop and plan provisioning for a SCIM endpoint”: Entra's create-group body, with its non-standard
 * second schema URN.
 */
function entraGroup(displayName: string) {
  return {
    schemas: [
      "urn:ietf:params:scim:schemas:core:2.0:Group",
      "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group",
    ],
    externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    displayName,
    meta: { resourceType: "Group" },
  };
}

async function createUser(userName: string, teamId = TEAM): Promise<string> {
  const response = await send("POST", "/Users", entraUser(userName, `ext-${userName}`), teamId);
  expect(response.status).toBe(201);
  return (response.body as Body).id as string;
}

async function createGroup(displayName: string): Promise<string> {
  const response = await send("POST", "/Groups", entraGroup(displayName));
  expect(response.status).toBe(201);
  return (response.body as Body).id as string;
}

const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

function expectError(response: ScimResponse, status: number, scimType?: string, detail?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers?.["Content-Type"]).toBe("application/scim+json");
  const body = response.body as Body;
  expect(body.schemas).toEqual([ERROR_SCHEMA]);
  expect(body.status).toBe(String(status));
  if (scimType) expect(body.scimType).toBe(scimType);
  if (detail) expect(body.detail).toMatch(detail);
}

describe("Test Connection (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  it("answers the random-GUID user probe with 200 and an empty ListResponse", async () => {
    const response = await send("GET", "/Users?filter=userName+eq+%22cf4d78e8-9f1a-4b3e-8c2d-1a2b3c4d5e6f%22");
    expect(response).toMatchObject({
      status: 200,
      operation: "Find users",
      headers: { "Content-Type": "application/scim+json" },
    });
    expect(response.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("answers the group probe with excludedAttributes=members the same way", async () => {
    const response = await send(
      "GET",
      "/Groups?excludedAttributes=members&filter=displayName+eq+%2244ab1c5c-2d1e-4f0a-9b8c-7d6e5f4a3b2c%22",
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ totalResults: 0, Resources: [] });
  });
});

describe("Entra's user sequence (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  it("creates, matches, reads, updates, disables, re-enables and deletes a user", async () => {
    const userName = "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1@testuser.com";
    const created = await send("POST", "/Users", entraUser(userName));
    expect(created.status).toBe(201);
    const user = created.body as Body;
    const id = user.id as string;
    expect(created).toMatchObject({
      operation: "Create user",
      targetId: id,
      headers: { Location: `${BASE}/Users/${id}`, "Content-Type": "application/scim+json" },
    });
    expect(user).toMatchObject({
      id,
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName,
      active: true,
      meta: {
        resourceType: "User",
        location: `${BASE}/Users/${id}`,
        created: expect.any(String),
        lastModified: expect.any(String),
      },
    });

    // Matching by userName is case-insensitive (RFC 7643 §4.1.1).
    const found = await send("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`);
    expect(found.body).toMatchObject({
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
      Resources: [{ id, userName }],
    });

    const read = await send("GET", `/Users/${id}`);
    expect(read).toMatchObject({ status: 200, operation: "Get user", targetId: id, body: { id, userName } });

    // Microsoft's “Develop and plan provisioning for a SCIM endpoint”: filtered multi-valued path plus a sub-attribute,
    // default dialect ("Replace").
    const updated = await send(
      "PATCH",
      `/Users/${id}`,
      patch(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ),
    );
    expect(updated).toMatchObject({ status: 204, operation: "Update user" });
    expect(updated.body).toBeUndefined();
    expect((await send("GET", `/Users/${id}`)).body).toMatchObject({
      emails: [{ type: "work", value: "updatedEmail@microsoft.com", primary: true }],
      name: { familyName: "updatedFamilyName", givenName: "Test" },
    });

    // “Known issues and resolutions with SCIM 2.0 protocol compliance”: without aadOptscim062020 the disable value is
    // the string "False".
    const disabled = await send("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "False" }));
    expect(disabled).toMatchObject({ status: 204, operation: "Disable user", targetId: id });
    expect(store.revokedSessions).toEqual([id]);
    // Soft-deleted users stay readable and filterable (Microsoft's “Develop and plan provisioning for a SCIM
    // endpoint”).
    expect((await send("GET", `/Users/${id}`)).body).toMatchObject({ active: false });
    expect((await send("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).body).toMatchObject({
      totalResults: 1,
    });

    const enabled = await send("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
    expect(enabled).toMatchObject({ status: 204, operation: "Enable user" });
    expect((await send("GET", `/Users/${id}`)).body).toMatchObject({ active: true });

    const deleted = await send("DELETE", `/Users/${id}`);
    expect(deleted).toMatchObject({ status: 204, operation: "Delete user", targetId: id });
    expectError(await send("GET", `/Users/${id}`), 404);
    expectError(await send("DELETE", `/Users/${id}`), 404);
  });

  it("matches on an unquoted externalId (the SCIM endpoint tutorial's legacy example) and on the work email", async () => {
    const id = await createUser("jyoung@contoso.com");
    expect((await send("GET", "/Users?filter=externalId+eq+ext-jyoung@contoso.com")).body).toMatchObject({
      totalResults: 1,
      Resources: [{ id }],
    });
    expect((await send("GET", "/Users?filter=externalId+eq+EXT-jyoung@contoso.com")).body).toMatchObject({
      totalResults: 0,
    });
    const byEmail = await send(
      "GET",
      `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "JYOUNG@contoso.com"')}`,
    );
    expect(byEmail.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
  });

  it("answers a duplicate userName with 409 uniqueness naming it, whatever its case", async () => {
    await createUser("dup@contoso.com");
    const response = await send("POST", "/Users", entraUser("DUP@contoso.com"));
    expectError(response, 409, "uniqueness", /userName/);
    expect(response.operation).toBe("Create user");
  });

  it("sets, checks and clears the manager in Entra's shapes (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", async () => {
    const manager = await createUser("boss@contoso.com");
    const report = await createUser("report@contoso.com");
    const set = await send(
      "PATCH",
      `/Users/${report}`,
      patch({ op: "Add", path: `${ENTERPRISE}:manager`, value: manager }),
    );
    expect(set.status).toBe(204);
    expect(((await send("GET", `/Users/${report}`)).body as Body)[ENTERPRISE]).toMatchObject({
      manager: { value: manager, $ref: `${BASE}/Users/${manager}` },
    });

    const check = await send(
      "GET",
      `/Users?filter=${encodeURIComponent(`id eq "${report}" and manager eq "${manager}"`)}&attributes=id`,
    );
    expect(check.body).toMatchObject({ totalResults: 1, Resources: [{ id: report }] });
    expect(Object.keys((check.body as { Resources: Body[] }).Resources[0] as Body).sort()).toEqual([
      "id",
      "meta",
      "schemas",
    ]);

    // A reference to a user that does not exist (yet) is stored as sent, unresolved (no displayName).
    expect(
      (await send("PATCH", `/Users/${report}`, patch({ op: "Replace", path: "manager", value: "no-such-user" })))
        .status,
    ).toBe(204);
    expect(((await send("GET", `/Users/${report}`)).body as Body)[ENTERPRISE]).toEqual({
      manager: { value: "no-such-user", $ref: `${BASE}/Users/no-such-user` },
    });
    expect(
      (await send("PATCH", `/Users/${report}`, patch({ op: "Replace", path: `${ENTERPRISE}:manager`, value: manager })))
        .status,
    ).toBe(204);
    expect(
      (await send("PATCH", `/Users/${report}`, patch({ op: "Replace", path: `${ENTERPRISE}:manager`, value: "" })))
        .status,
    ).toBe(204);
    const cleared = await send(
      "GET",
      `/Users?filter=${encodeURIComponent(`id eq "${report}" and manager eq "${manager}"`)}`,
    );
    expect(cleared.body).toMatchObject({ totalResults: 0 });
  });

  it("applies the aadOptscim062020 path-less replace with dotted and URN keys", async () => {
    const id = await createUser("flag@contoso.com");
    const response = await send(
      "PATCH",
      `/Users/${id}`,
      patch({
        op: "replace",
        value: { displayName: "Flag User", "name.givenName": "Flag", [`${ENTERPRISE}:employeeNumber`]: "42" },
      }),
    );
    expect(response.status).toBe(204);
    expect((await send("GET", `/Users/${id}`)).body).toMatchObject({
      displayName: "Flag User",
      name: { givenName: "Flag" },
      [ENTERPRISE]: { employeeNumber: "42" },
    });
  });

  it("changes nothing when any operation of a PATCH is invalid", async () => {
    const id = await createUser("atomic@contoso.com");
    const response = await send(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "Replace", path: "displayName", value: "Changed" }, { op: "Replace", path: "id", value: "x" }),
    );
    expectError(response, 400, "mutability");
    expect(((await send("GET", `/Users/${id}`)).body as Body).displayName).toBeUndefined();
  });

  it("replaces a user with PUT and refuses a body naming another id", async () => {
    const id = await createUser("put@contoso.com");
    const replaced = await send("PUT", `/Users/${id}`, {
      ...entraUser("put@contoso.com"),
      displayName: "Put User",
      unknownAttribute: 1,
    });
    expect(replaced).toMatchObject({ status: 200, operation: "Replace user", body: { id, displayName: "Put User" } });
    expect(replaced.body).not.toHaveProperty("unknownAttribute");
    expectError(
      await send("PUT", `/Users/${id}`, { ...entraUser("put@contoso.com"), id: "someone-else" }),
      400,
      "mutability",
      /someone-else/,
    );
  });
});

describe("Entra's group sequence (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  it("creates a group, adds members, removes them in both dialects and deletes it", async () => {
    const alice = await createUser("alice@contoso.com");
    const bob = await createUser("bob@contoso.com");
    const carol = await createUser("carol@contoso.com");

    const created = await send("POST", "/Groups", entraGroup("Sales"));
    expect(created.status).toBe(201);
    const id = (created.body as Body).id as string;
    expect(created).toMatchObject({
      operation: "Create group",
      targetId: id,
      headers: { Location: `${BASE}/Groups/${id}` },
    });
    expect(created.body).toMatchObject({
      id,
      displayName: "Sales",
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      members: [],
      meta: { resourceType: "Group" },
    });

    const matched = await send(
      "GET",
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "sales"')}`,
    );
    expect(matched.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: "Sales" }] });
    expect((matched.body as { Resources: Body[] }).Resources[0]).not.toHaveProperty("members");

    const added = await send(
      "PATCH",
      `/Groups/${id}`,
      patch({
        op: "Add",
        path: "members",
        value: [
          { $ref: null, value: alice },
          { $ref: null, value: bob },
          { $ref: null, value: carol },
        ],
      }),
    );
    expect(added).toMatchObject({ status: 204, operation: "Add members", targetId: id });

    // Legacy remove with a value array removes only the listed member.
    const removed = await send(
      "PATCH",
      `/Groups/${id}`,
      patch({ op: "Remove", path: "members", value: [{ $ref: null, value: alice }] }),
    );
    expect(removed).toMatchObject({ status: 204, operation: "Remove members" });
    // aadOptscim062020 remove by filter.
    expect(
      (await send("PATCH", `/Groups/${id}`, patch({ op: "remove", path: `members[value eq "${bob}"]` }))).status,
    ).toBe(204);
    const read = await send("GET", `/Groups/${id}`);
    // No display was sent: the member's name fills it (RFC 7643 §4.2).
    expect((read.body as { members: Body[] }).members).toEqual([
      { value: carol, $ref: `${BASE}/Users/${carol}`, display: expect.any(String) },
    ]);

    const membership = await send(
      "GET",
      `/Groups?filter=${encodeURIComponent(`id eq "${id}" and members eq "${carol}"`)}&attributes=id`,
    );
    expect(membership.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    const notMember = await send(
      "GET",
      `/Groups?filter=${encodeURIComponent(`id eq "${id}" and members eq "${alice}"`)}&attributes=id`,
    );
    expect(notMember.body).toMatchObject({ totalResults: 0, Resources: [] });

    const renamed = await send(
      "PATCH",
      `/Groups/${id}`,
      patch({ op: "Replace", path: "displayName", value: "Sales EMEA" }),
    );
    expect(renamed).toMatchObject({ status: 204, operation: "Update group" });
    expect((await send("GET", `/Groups/${id}?excludedAttributes=members`)).body).toEqual(
      expect.objectContaining({ displayName: "Sales EMEA" }),
    );

    expect((await send("PATCH", `/Groups/${id}`, patch({ op: "remove", path: "members" }))).status).toBe(204);
    expect(((await send("GET", `/Groups/${id}`)).body as Body).members).toEqual([]);

    expect(await send("DELETE", `/Groups/${id}`)).toMatchObject({ status: 204, operation: "Delete group" });
    expectError(await send("GET", `/Groups/${id}`), 404);
  });

  it("refuses a member of another team or an unknown id with invalidValue naming it", async () => {
    const group = await createGroup("Engineering");
    const stranger = await createUser("stranger@fabrikam.com", OTHER_TEAM);
    for (const id of [stranger, "00000000-0000-0000-0000-000000000000"]) {
      const response = await send(
        "PATCH",
        `/Groups/${group}`,
        patch({ op: "Add", path: "members", value: [{ value: id }] }),
      );
      expectError(response, 400, "invalidValue", new RegExp(id));
    }
    expect(((await send("GET", `/Groups/${group}`)).body as Body).members).toEqual([]);
  });

  it("answers a duplicate displayName with 409 uniqueness", async () => {
    await createGroup("Finance");
    expectError(await send("POST", "/Groups", entraGroup("FINANCE")), 409, "uniqueness", /displayName/);
  });
});

describe("tenant isolation", () => {
  it("answers another team's user and group ids with 404 and never lists them", async () => {
    const theirs = await createUser("theirs@fabrikam.com", OTHER_TEAM);
    expectError(await send("GET", `/Users/${theirs}`), 404);
    expectError(await send("PATCH", `/Users/${theirs}`, patch({ op: "Replace", path: "active", value: false })), 404);
    expectError(await send("DELETE", `/Users/${theirs}`), 404);
    expect((await send("GET", "/Users")).body).toMatchObject({ totalResults: 0 });
    expect((await send("GET", "/Users", undefined, OTHER_TEAM)).body).toMatchObject({ totalResults: 1 });
  });
});

describe("paging and projection (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  it("pages with startIndex and count and reports the total", async () => {
    for (let i = 0; i < 12; i++) await createUser(`page${i}@contoso.com`);
    const page = await send("GET", "/Users?startIndex=6&count=5");
    expect(page.body).toMatchObject({ totalResults: 12, startIndex: 6, itemsPerPage: 5 });
    expect((page.body as { Resources: Body[] }).Resources.map((user) => user.userName)).toEqual(
      [5, 6, 7, 8, 9].map((i) => `page${i}@contoso.com`),
    );
    const last = await send("GET", "/Users?startIndex=11&count=5");
    expect(last.body).toMatchObject({ totalResults: 12, startIndex: 11, itemsPerPage: 2 });
    const countOnly = await send("GET", "/Users?count=0");
    expect(countOnly.body).toMatchObject({ totalResults: 12, itemsPerPage: 0, Resources: [] });
    expect((await send("GET", "/Users")).operation).toBe("List users");
  });

  it("projects attributes and excludedAttributes, sub-attributes included", async () => {
    const id = await createUser("proj@contoso.com");
    const picked = await send("GET", `/Users/${id}?attributes=userName,name.givenName`);
    expect(picked.body).toEqual({
      schemas: expect.any(Array),
      id,
      userName: "proj@contoso.com",
      name: { givenName: "Test" },
      meta: { resourceType: "User" },
    });
    const dropped = await send("GET", `/Users/${id}?excludedAttributes=emails,name`);
    expect(dropped.body).not.toHaveProperty("emails");
    expect(dropped.body).not.toHaveProperty("name");
    expect(dropped.body).toHaveProperty("userName");
  });

  it("accepts POST /Users/.search (RFC 7644 §3.4.3)", async () => {
    const id = await createUser("search@contoso.com");
    const response = await send("POST", "/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'userName sw "search"',
      attributes: ["userName"],
      count: 10,
    });
    expect(response.body).toMatchObject({ totalResults: 1, Resources: [{ id, userName: "search@contoso.com" }] });
  });
});

describe("discovery (RFC 7644 §4, Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  it("serves ServiceProviderConfig, Schemas and ResourceTypes", async () => {
    expect(await send("GET", "/ServiceProviderConfig")).toMatchObject({
      status: 200,
      operation: "Get service provider config",
      body: { patch: { supported: true } },
    });
    const schemas = await send("GET", "/Schemas");
    expect(schemas.body).toMatchObject({ totalResults: 3, itemsPerPage: 3, startIndex: 1 });
    const user = await send("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
    expect(user.body).toMatchObject({ id: "urn:ietf:params:scim:schemas:core:2.0:User", description: "User Account" });
    const types = await send("GET", "/ResourceTypes");
    expect((types.body as { Resources: Body[] }).Resources.map((type) => type.endpoint)).toEqual(["/Users", "/Groups"]);
    expect((await send("GET", "/resourcetypes/group")).body).toMatchObject({ id: "Group" });
    expectError(await send("GET", "/Schemas/urn:nope"), 404);
    expectError(await send("GET", "/Schemas?filter=id+eq+%22x%22"), 403);
  });
});

describe("errors", () => {
  it("answers an unknown endpoint with 404 and a wrong method with 405 and Allow", async () => {
    expectError(await send("GET", "/Me"), 404);
    expectError(await send("GET", "/Users/a/b"), 404);
    const collection = await send("DELETE", "/Users");
    expectError(collection, 405);
    expect(collection.headers?.Allow).toBe("GET, POST");
    const item = await send("POST", "/Groups/abc");
    expectError(item, 405);
    expect(item.headers?.Allow).toBe("GET, PUT, PATCH, DELETE");
    expect((await send("PATCH", "/ServiceProviderConfig", {})).headers?.Allow).toBe("GET");
  });

  it("answers malformed JSON, a missing body and wrong types with 400 invalidSyntax or invalidValue", async () => {
    expectError(
      await send("POST", "/Users", new InvalidJsonBody("Unexpected token } in JSON at position 12")),
      400,
      "invalidSyntax",
      /position 12/,
    );
    expectError(await send("POST", "/Users"), 400, "invalidSyntax");
    expectError(await send("POST", "/Users", [1, 2]), 400, "invalidSyntax");
    expectError(await send("POST", "/Users", { userName: 42 }), 400, "invalidValue", /userName/);
    const id = await createUser("body@contoso.com");
    expectError(await send("PATCH", `/Users/${id}`, { Operations: "nope" }), 400, "invalidSyntax");
    expectError(
      await send("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "maybe" })),
      400,
      "invalidValue",
      /active/,
    );
  });

  it("answers a bad filter or paging value with 400", async () => {
    expectError(await send("GET", "/Users?filter=userName+eq"), 400, "invalidFilter");
    expectError(await send("GET", "/Users?filter=userName+zz+%22x%22"), 400, "invalidFilter", /zz/);
    expectError(await send("GET", "/Users?count=ten"), 400, "invalidValue", /count/);
  });

  it("turns an unexpected store failure into a SCIM 500 and hands the cause to the caller", async () => {
    const failure = new Error("connection reset");
    store.failWith = failure;
    const response = await send("POST", "/Users", entraUser("boom@contoso.com"));
    expectError(response, 500);
    expect((response.body as Body).detail).not.toMatch(/connection reset/);
    expect(response.cause).toBe(failure);
  });
});

describe("the linear member PATCH (memberSetPatch)", () => {
  const record: GroupRecord = {
    id: "g-1",
    version: 1,
    displayName: "Sales",
    externalId: "ext",
    members: [
      { value: "u-1", display: "One" },
      { value: "u-2", display: null },
    ],
    createdAt: new Date("2026-01-01T00:00:00Z"),
    updatedAt: new Date("2026-01-01T00:00:00Z"),
  };
  const cases: [string, unknown[]][] = [
    [
      "add new members, Entra's shape",
      [
        {
          op: "Add",
          path: "members",
          value: [
            { $ref: null, value: "u-3" },
            { $ref: null, value: "u-4" },
          ],
        },
      ],
    ],
    [
      "add an existing member with a display",
      [{ op: "add", path: "members", value: [{ value: "u-2", display: "Two" }] }],
    ],
    [
      "add an existing member with an empty display",
      [{ op: "add", path: "members", value: [{ value: "u-1", display: "" }] }],
    ],
    [
      "add an existing member with a null display",
      [{ op: "add", path: "members", value: { value: "u-1", display: null } }],
    ],
    [
      "add the same member twice",
      [{ op: "add", path: "members", value: [{ value: "u-5" }, { value: "u-5", display: "Five" }] }],
    ],
    [
      "legacy remove of present and absent members",
      [{ op: "Remove", path: "Members", value: [{ value: "u-1" }, { value: "u-9" }] }],
    ],
    [
      "members with a type: new ones added, existing ones unchanged",
      [
        {
          op: "Add",
          path: "members",
          value: [
            { value: "u-1", type: "x", display: "Changed" },
            { value: "u-3", type: "x" },
            { value: "u-4", type: "User", display: "Four" },
          ],
        },
      ],
    ],
    [
      "the same typed member twice merges, another type of it is a duplicate",
      [
        {
          op: "add",
          path: "members",
          value: [
            { value: "u-3", type: "x" },
            { value: "u-3", type: "X", display: "Three" },
            { value: "u-3", type: "y", display: "Other" },
          ],
        },
      ],
    ],
    [
      "typed add, then typed and untyped legacy removes",
      [
        {
          op: "add",
          path: "members",
          value: [
            { value: "u-3", type: "x" },
            { value: "u-4", type: "x" },
          ],
        },
        {
          op: "remove",
          path: "members",
          value: [{ value: "u-3", type: "y" }, { value: "u-4", type: "X" }, { value: "u-2" }],
        },
        { op: "add", path: "members", value: [{ value: "u-2", type: "x", display: "" }, null] },
      ],
    ],
    [
      "add then remove then add",
      [
        { op: "add", path: "members", value: [{ value: "u-3" }] },
        { op: "remove", path: "members", value: [{ value: "u-1" }, { value: "u-3" }] },
        { op: "add", path: "members", value: [{ value: "u-1", $ref: "https://x/Users/u-1" }] },
      ],
    ],
  ];
  it.each(cases)("gives the engine's result: %s", (_name, operations) => {
    const body = { schemas: [PATCH_OP], Operations: operations };
    const fast = memberSetPatch(parsePatchRequest(body));
    expect(fast).toBeDefined();
    expect(fast?.(structuredClone(record))).toEqual(patchGroup(structuredClone(record), parsePatchRequest(body), BASE));
  });

  it("gives the engine's result for 500 random member PATCHes", () => {
    let state = 12345;
    const random = (n: number) => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    for (let round = 0; round < 500; round++) {
      const member = () => {
        const item: Record<string, unknown> = { value: pick(["u-1", "u-2", "u-3", "U-3", "u-4"]) };
        if (random(2)) item.type = pick(["x", "X", "y", "User", "", null]);
        if (random(2)) item.display = pick(["D", "", null, "Other"]);
        if (random(4) === 0) item.$ref = pick([null, "https://x/Users/u-1"]);
        return item;
      };
      const operations = Array.from({ length: 1 + random(3) }, () => ({
        op: pick(["add", "Add", "remove", "Remove"]),
        path: pick(["members", "Members"]),
        value: Array.from({ length: 1 + random(4) }, member),
      }));
      const body = { schemas: [PATCH_OP], Operations: operations };
      const fast = memberSetPatch(parsePatchRequest(body));
      expect(fast, JSON.stringify(operations)).toBeDefined();
      let expected: unknown;
      try {
        expected = patchGroup(structuredClone(record), parsePatchRequest(body), BASE);
      } catch (error) {
        expected = error;
      }
      let actual: unknown;
      try {
        actual = fast?.(structuredClone(record));
      } catch (error) {
        actual = error;
      }
      expect(actual, JSON.stringify(operations)).toEqual(expected);
    }
  });

  it.each([
    ["remove all", [{ op: "remove", path: "members" }]],
    ["remove by filter", [{ op: "remove", path: 'members[value eq "u-1"]' }]],
    ["replace", [{ op: "replace", path: "members", value: [{ value: "u-1" }] }]],
    ["a member with a non-string type", [{ op: "add", path: "members", value: [{ value: "u-1", type: 5 }] }]],
    [
      "a member with two spellings of one attribute",
      [{ op: "add", path: "members", value: [{ value: "u-1", Value: "u-2" }] }],
    ],
    ["a bare string", [{ op: "add", path: "members", value: ["u-1"] }]],
    [
      "another attribute",
      [
        { op: "add", path: "members", value: [{ value: "u-1" }] },
        { op: "replace", path: "displayName", value: "x" },
      ],
    ],
  ])("leaves other shapes to the engine: %s", (_name, operations) => {
    expect(memberSetPatch(parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }))).toBeUndefined();
  });
});
