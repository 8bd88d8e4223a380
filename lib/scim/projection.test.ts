import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { listResponse, parseAttributeList, parsePaging, projectResource } from "./projection";
import { groupResourceType, userResourceType } from "./schemas";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const user = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  id: "u-1",
  externalId: "ext-1",
  userName: "a@contoso.com",
  name: { givenName: "A", familyName: "B" },
  active: true,
  emails: [
    { type: "work", value: "a@contoso.com", primary: true },
    { type: "other", value: "x@contoso.com" },
  ],
  [ENTERPRISE]: { department: "Sales", manager: { value: "m-1", $ref: "https://x/Users/m-1" } },
  meta: {
    resourceType: "User",
    created: "2026-01-01T00:00:00.000Z",
    lastModified: "2026-01-02T00:00:00.000Z",
    location: "https://x/Users/u-1",
  },
};

const group = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  id: "g-1",
  displayName: "Eng",
  members: [{ value: "u-1", $ref: "https://x/Users/u-1" }],
  meta: { resourceType: "Group", location: "https://x/Groups/g-1" },
};

describe("projectResource: attributes", () => {
  it.each<[string, Record<string, unknown>]>([
    ["id", { schemas: user.schemas, id: "u-1", meta: { resourceType: "User" } }],
    ["userName", { schemas: user.schemas, id: "u-1", userName: "a@contoso.com", meta: { resourceType: "User" } }],
    [
      "USERNAME , Name.GivenName",
      {
        schemas: user.schemas,
        id: "u-1",
        userName: "a@contoso.com",
        name: { givenName: "A" },
        meta: { resourceType: "User" },
      },
    ],
    [
      "emails.value",
      {
        schemas: user.schemas,
        id: "u-1",
        emails: [{ value: "a@contoso.com" }, { value: "x@contoso.com" }],
        meta: { resourceType: "User" },
      },
    ],
    [
      `${ENTERPRISE}:department`,
      { schemas: user.schemas, id: "u-1", [ENTERPRISE]: { department: "Sales" }, meta: { resourceType: "User" } },
    ],
    [
      `${ENTERPRISE}:manager.value`,
      { schemas: user.schemas, id: "u-1", [ENTERPRISE]: { manager: { value: "m-1" } }, meta: { resourceType: "User" } },
    ],
    [
      "manager",
      {
        schemas: user.schemas,
        id: "u-1",
        [ENTERPRISE]: { manager: user[ENTERPRISE].manager },
        meta: { resourceType: "User" },
      },
    ],
    [ENTERPRISE, { schemas: user.schemas, id: "u-1", [ENTERPRISE]: user[ENTERPRISE], meta: { resourceType: "User" } }],
    [
      "urn:ietf:params:scim:schemas:core:2.0:User:userName",
      { schemas: user.schemas, id: "u-1", userName: "a@contoso.com", meta: { resourceType: "User" } },
    ],
    [
      "meta.lastModified",
      { schemas: user.schemas, id: "u-1", meta: { resourceType: "User", lastModified: "2026-01-02T00:00:00.000Z" } },
    ],
    ["meta", { schemas: user.schemas, id: "u-1", meta: user.meta }],
    ["doesNotExist", { schemas: user.schemas, id: "u-1", meta: { resourceType: "User" } }],
    [
      "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
      { schemas: user.schemas, id: "u-1", meta: { resourceType: "User" } },
    ],
  ])("attributes=%s", (attributes, expected) => {
    expect(projectResource(user, { attributes }, userResourceType)).toEqual(expected);
  });

  it("an empty attributes parameter returns the default set", () => {
    expect(projectResource(user, { attributes: "" }, userResourceType)).toEqual(user);
    expect(projectResource(user, {}, userResourceType)).toEqual(user);
  });
});

describe("projectResource: excludedAttributes", () => {
  it("drops members from a group (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
    expect(projectResource(group, { excludedAttributes: "members" }, groupResourceType)).toEqual({
      schemas: group.schemas,
      id: "g-1",
      displayName: "Eng",
      meta: group.meta,
    });
  });

  it.each<[string, (result: Record<string, unknown>) => void]>([
    ["id,schemas", (r) => expect(r).toEqual(user)],
    ["Emails", (r) => expect(r).not.toHaveProperty("emails")],
    ["name.givenName", (r) => expect(r.name).toEqual({ familyName: "B" })],
    [
      "emails.primary",
      (r) =>
        expect(r.emails).toEqual([
          { type: "work", value: "a@contoso.com" },
          { type: "other", value: "x@contoso.com" },
        ]),
    ],
    [`${ENTERPRISE}:manager`, (r) => expect(r[ENTERPRISE]).toEqual({ department: "Sales" })],
    [`${ENTERPRISE}:manager,${ENTERPRISE}:department`, (r) => expect(r).not.toHaveProperty(ENTERPRISE)],
    [ENTERPRISE, (r) => expect(r).not.toHaveProperty(ENTERPRISE)],
    ["meta", (r) => expect(r.meta).toEqual({ resourceType: "User" })],
    [
      "meta.location",
      (r) =>
        expect(r.meta).toEqual({
          resourceType: "User",
          created: user.meta.created,
          lastModified: user.meta.lastModified,
        }),
    ],
  ])("excludedAttributes=%s", (excludedAttributes, check) => {
    const result = projectResource(user, { excludedAttributes }, userResourceType);
    check(result);
    expect(result.id).toBe("u-1");
    expect(result.schemas).toEqual(user.schemas);
  });

  it("does not modify the input", () => {
    const copy = structuredClone(user);
    projectResource(copy, { attributes: "name.givenName", excludedAttributes: "name" }, userResourceType);
    expect(copy).toEqual(user);
  });
});

describe("parseAttributeList", () => {
  it("splits on commas and trims", () => {
    expect(parseAttributeList(" userName, name.givenName ,,")).toEqual(["userName", "name.givenName"]);
    expect(parseAttributeList(null)).toEqual([]);
  });
});

describe("parsePaging (RFC 7644 §3.4.2.4)", () => {
  it.each<[{ startIndex?: string | null; count?: string | null }, { startIndex: number; count: number }]>([
    [{}, { startIndex: 1, count: 100 }],
    [
      { startIndex: null, count: null },
      { startIndex: 1, count: 100 },
    ],
    [{ startIndex: "0" }, { startIndex: 1, count: 100 }],
    [{ startIndex: "-5" }, { startIndex: 1, count: 100 }],
    [
      { startIndex: "11", count: "5" },
      { startIndex: 11, count: 5 },
    ],
    [{ count: "0" }, { startIndex: 1, count: 0 }],
    [{ count: "-3" }, { startIndex: 1, count: 0 }],
    [{ count: "1000" }, { startIndex: 1, count: 200 }],
    [{ count: " 20 " }, { startIndex: 1, count: 20 }],
  ])("%j → %j", (params, expected) => {
    expect(parsePaging(params)).toEqual(expected);
  });

  it.each([{ count: "ten" }, { startIndex: "1.5" }, { count: "5abc" }])(
    "rejects %j with 400 invalidValue",
    (params) => {
      try {
        parsePaging(params);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ScimError);
        expect((error as ScimError).scimType).toBe("invalidValue");
        expect((error as ScimError).detail).toMatch(/must be an integer/);
      }
    },
  );
});

describe("listResponse", () => {
  it("builds an empty ListResponse for the Test Connection probe (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
    expect(listResponse([], { totalResults: 0, startIndex: 1 })).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it("echoes startIndex and counts the page (B SCIM_User_Pagination_Test)", () => {
    const page = listResponse([{ id: "a" }, { id: "b" }], { totalResults: 12, startIndex: 6 });
    expect(page).toMatchObject({ totalResults: 12, startIndex: 6, itemsPerPage: 2 });
    expect(Number.isInteger(page.totalResults)).toBe(true);
    expect(JSON.stringify(page)).toContain('"totalResults":12');
  });
});
