import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { applyPatch, parsePatchRequest, type PatchOperation } from "./patch";
import { groupResourceType, userResourceType } from "./schemas";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Json = Record<string, unknown>;

const user = (): Json => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  id: "u-1",
  externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  userName: "Test_User_ab6490ee@contoso.com",
  active: true,
  displayName: "Test User",
  name: { formatted: "Test User", givenName: "Test", familyName: "User" },
  emails: [
    { type: "work", value: "test.user@contoso.com", primary: true },
    { type: "other", value: "alias@contoso.com" },
  ],
  phoneNumbers: [{ type: "work", value: "+1 (555) 0100" }],
  meta: {
    resourceType: "User",
    created: "2026-01-01T00:00:00.000Z",
    lastModified: "2026-01-01T00:00:00.000Z",
    location: "https://x/Users/u-1",
  },
});

const group = (): Json => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  id: "g-1",
  displayName: "Engineering",
  members: [{ value: "u1" }, { value: "u2" }, { value: "u3" }],
  meta: { resourceType: "Group" },
});

/** Runs a PatchOp body the way the route does: validate, then apply. */
const patchUser = (operations: unknown[], resource = user()) =>
  applyPatch(resource, parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }), userResourceType);
const patchGroup = (operations: unknown[], resource = group()) =>
  applyPatch(resource, parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }), groupResourceType);

function scimErrorOf(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error("expected a ScimError");
}

describe("parsePatchRequest", () => {
  it('lower-cases op (Entra sends "Replace" without aadOptscim062020, “Known issues and resolutions with SCIM 2.0 protocol compliance”)', () => {
    expect(
      parsePatchRequest({
        schemas: [PATCH_OP],
        Operations: [
          { op: "Replace", path: "userName", value: "x" },
          { op: "REMOVE", path: "title" },
        ],
      }),
    ).toEqual([
      { op: "replace", path: "userName", value: "x" },
      { op: "remove", path: "title" },
    ]);
  });

  it("accepts differently-cased member names", () => {
    expect(parsePatchRequest({ operations: [{ OP: "add", Path: "nickName", Value: "Babs" }] })).toEqual([
      { op: "add", path: "nickName", value: "Babs" },
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ["a non-object body", "nope", /must be a JSON object/],
    ["a wrong schema", { schemas: ["urn:x"], Operations: [{ op: "add", path: "a", value: 1 }] }, /must contain/],
    ["no Operations", { schemas: [PATCH_OP] }, /non-empty array/],
    ["empty Operations", { schemas: [PATCH_OP], Operations: [] }, /non-empty array/],
    [
      "an unknown op",
      { Operations: [{ op: "merge", path: "title", value: "x" }] },
      /Operations\[0\]: 'op' must be "add", "remove" or "replace", got "merge"/,
    ],
    ["a missing op", { Operations: [{ path: "title", value: "x" }] }, /Operations\[0\]: 'op' must be a string/],
    ["a non-string path", { Operations: [{ op: "add", path: 5, value: "x" }] }, /'path' must be a string/],
    ["add without value", { Operations: [{ op: "add", path: "title" }] }, /'add' requires a 'value'/],
    ["an operation that is not an object", { Operations: ["add"] }, /Operations\[0\] must be an object/],
  ])("rejects %s with 400 invalidSyntax", (_name, body, detail) => {
    const error = scimErrorOf(() => parsePatchRequest(body));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe("invalidSyntax");
    expect(error.detail).toMatch(detail);
  });
});

describe("applyPatch: Entra's user request bodies (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  const cases: Array<[string, unknown[], (result: Json) => void]> = [
    [
      "multi-valued and sub-attribute Replace",
      [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
        { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
      ],
      (r) => {
        expect(r.emails).toEqual([
          { type: "work", value: "updatedEmail@microsoft.com", primary: true },
          { type: "other", value: "alias@contoso.com" },
        ]);
        expect(r.name).toEqual({ formatted: "Test User", givenName: "Test", familyName: "updatedFamilyName" });
      },
    ],
    [
      "single-valued Replace",
      [{ op: "Replace", path: "userName", value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" }],
      (r) => expect(r.userName).toBe("5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"),
    ],
    ["disable with boolean", [{ op: "Replace", path: "active", value: false }], (r) => expect(r.active).toBe(false)],
    [
      'disable with string "False" (no flag)',
      [{ op: "Replace", path: "active", value: "False" }],
      (r) => expect(r.active).toBe(false),
    ],
    [
      'enable with string "TRUE"',
      [{ op: "replace", path: "active", value: "TRUE" }],
      (r) => expect(r.active).toBe(true),
    ],
    ["path-less active string", [{ op: "Replace", value: { active: "false" } }], (r) => expect(r.active).toBe(false)],
    [
      "Add of a single-valued string",
      [{ op: "Add", path: "nickName", value: "Babs" }],
      (r) => expect(r.nickName).toBe("Babs"),
    ],
    ["same with the flag", [{ op: "add", path: "nickName", value: "Babs" }], (r) => expect(r.nickName).toBe("Babs")],
    [
      "several Replace ops without the flag",
      [
        { op: "Replace", path: "displayName", value: "Ryan Leenay" },
        { op: "Replace", path: 'emails[type eq "work"].value', value: "Ryan.Leenay@contoso.com" },
        { op: "Replace", path: "name.givenName", value: "Ryan" },
        { op: "Replace", path: "name.familyName", value: "Leenay" },
        { op: "Replace", path: "externalId", value: "Ryan" },
        { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "7" },
      ],
      (r) => {
        expect(r.displayName).toBe("Ryan Leenay");
        expect((r.emails as Json[])[0]).toEqual({ type: "work", value: "Ryan.Leenay@contoso.com", primary: true });
        expect(r.name).toMatchObject({ givenName: "Ryan", familyName: "Leenay" });
        expect(r.externalId).toBe("Ryan");
        expect(r[ENTERPRISE]).toEqual({ employeeNumber: "7" });
        expect(r.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
      },
    ],
    [
      "path-less replace with dotted and URN keys (aadOptscim062020)",
      [
        { op: "replace", path: 'emails[type eq "work"].value', value: "Ryan.Leenay@contoso.com" },
        {
          op: "replace",
          value: {
            displayName: "Ryan Leenay",
            "name.givenName": "Ryan",
            "name.familyName": "Leenay",
            [`${ENTERPRISE}:employeeNumber`]: "7",
          },
        },
      ],
      (r) => {
        expect(r.displayName).toBe("Ryan Leenay");
        expect(r.name).toEqual({ formatted: "Test User", givenName: "Ryan", familyName: "Leenay" });
        expect(r[ENTERPRISE]).toEqual({ employeeNumber: "7" });
        expect(Object.keys(r)).not.toContain("name.givenName");
        expect(Object.keys(r)).not.toContain(`${ENTERPRISE}:employeeNumber`);
      },
    ],
    [
      "path-less add with a nested extension object (RFC 7644 §3.5.2.1)",
      [{ op: "add", value: { [ENTERPRISE]: { department: "Sales", costCenter: "42" } } }],
      (r) => expect(r[ENTERPRISE]).toEqual({ department: "Sales", costCenter: "42" }),
    ],
    [
      "path-less keys are case-insensitive, unknown ones ignored, custom extension attributes kept",
      [
        {
          op: "Replace",
          value: {
            DisplayName: "X",
            entitlements: [{ value: "e" }],
            "urn:ietf:params:scim:schemas:extension:Custom:2.0:User:foo": "bar",
          },
        },
      ],
      (r) => {
        expect(r.displayName).toBe("X");
        expect(r).not.toHaveProperty("DisplayName");
        expect(r).not.toHaveProperty("entitlements");
        expect(r["urn:ietf:params:scim:schemas:extension:Custom:2.0:User"]).toEqual({ foo: "bar" });
      },
    ],
    [
      "filtered path upsert creates the work address",
      [
        { op: "Add", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
        { op: "Add", path: 'addresses[type eq "work"].locality', value: "Redmond" },
        { op: "Add", path: 'addresses[type eq "work"].postalCode', value: "98052" },
        { op: "Add", path: 'addresses[type eq "work"].country', value: "US" },
      ],
      (r) =>
        expect(r.addresses).toEqual([
          { type: "work", streetAddress: "1 Main St", locality: "Redmond", postalCode: "98052", country: "US" },
        ]),
    ],
    [
      'replace on phoneNumbers[type eq "mobile"] upserts next to the work phone, value kept verbatim',
      [{ op: "replace", path: 'phoneNumbers[type eq "mobile"].value', value: "+46 (0)70-123 45 67" }],
      (r) =>
        expect(r.phoneNumbers).toEqual([
          { type: "work", value: "+1 (555) 0100" },
          { type: "mobile", value: "+46 (0)70-123 45 67" },
        ]),
    ],
    [
      "capitalised sub-attributes from the SCIM endpoint tutorial's table",
      [
        { op: "Replace", path: 'emails[type eq "other"].Value', value: "other@contoso.com" },
        { op: "Replace", path: 'addresses[type eq "other"].Formatted', value: "Building 1" },
      ],
      (r) => {
        expect((r.emails as Json[])[1]).toEqual({ type: "other", value: "other@contoso.com" });
        expect(r.addresses).toEqual([{ type: "other", formatted: "Building 1" }]);
      },
    ],
    [
      "filter attribute values compare case-insensitively",
      [{ op: "replace", path: 'emails[TYPE eq "WORK"].value', value: "w@contoso.com" }],
      (r) => expect((r.emails as Json[]).map((e) => e.value)).toEqual(["w@contoso.com", "alias@contoso.com"]),
    ],
    [
      "manager as a bare string is stored as {value}",
      [{ op: "add", path: `${ENTERPRISE}:manager`, value: "m-1" }],
      (r) => expect(r[ENTERPRISE]).toEqual({ manager: { value: "m-1" } }),
    ],
    [
      "legacy manager update as [{$ref, value}]",
      [{ op: "Add", path: "manager", value: [{ $ref: "https://x/Users/m-2", value: "m-2" }] }],
      // $ref is derived from value on output (readOnly), so the one sent is not kept.
      (r) => expect(r[ENTERPRISE]).toEqual({ manager: { value: "m-2" } }),
    ],
    [
      "legacy manager update on the URN path",
      [{ op: "Add", path: `${ENTERPRISE}:manager`, value: [{ $ref: "https://x/Users/m-2", value: "m-2" }] }],
      (r) => expect(r[ENTERPRISE]).toEqual({ manager: { value: "m-2" } }),
    ],
    [
      "manager as {value}, then replaced whole (no stale $ref)",
      [
        {
          op: "add",
          path: `${ENTERPRISE}:manager`,
          value: { value: "m-1", $ref: "https://x/Users/m-1", displayName: "Boss" },
        },
        { op: "replace", path: `${ENTERPRISE}:manager`, value: { value: "m-2" } },
      ],
      (r) => expect(r[ENTERPRISE]).toEqual({ manager: { value: "m-2" } }),
    ],
    [
      "gallery test: Add, Replace, then Replace with empty clears manager",
      [
        { op: "Add", path: `${ENTERPRISE}:manager`, value: "m-1" },
        { op: "Replace", path: `${ENTERPRISE}:manager`, value: "m-2" },
        { op: "Replace", path: `${ENTERPRISE}:manager`, value: "" },
      ],
      (r) => {
        expect(r).not.toHaveProperty(ENTERPRISE);
        expect(r.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User"]);
      },
    ],
    [
      "replace manager with null clears it",
      [
        { op: "add", path: `${ENTERPRISE}:manager`, value: "m-1" },
        { op: "replace", path: `${ENTERPRISE}:manager`, value: null },
      ],
      (r) => expect(r).not.toHaveProperty(ENTERPRISE),
    ],
    [
      "remove manager",
      [
        { op: "add", path: `${ENTERPRISE}:manager`, value: "m-1" },
        { op: "remove", path: `${ENTERPRISE}:manager` },
      ],
      (r) => expect(r).not.toHaveProperty(ENTERPRISE),
    ],
    [
      "remove naming a manager that is no longer the manager leaves the current one",
      [
        { op: "add", path: `${ENTERPRISE}:manager`, value: "m-2" },
        { op: "Remove", path: `${ENTERPRISE}:manager`, value: [{ value: "m-1" }] },
      ],
      (r) => expect(r[ENTERPRISE]).toEqual({ manager: { value: "m-2" } }),
    ],
    [
      "null-update test: empty strings, then nulls, clear optional attributes",
      [
        { op: "replace", path: "displayName", value: "" },
        { op: "replace", path: "name.givenName", value: "" },
        { op: "replace", path: 'emails[type eq "work"].value', value: "" },
        { op: "replace", path: "title", value: null },
        { op: "replace", path: `${ENTERPRISE}:department`, value: null },
        { op: "replace", path: 'phoneNumbers[type eq "fax"].value', value: null },
      ],
      (r) => {
        expect(r).not.toHaveProperty("displayName");
        expect(r.name).toEqual({ formatted: "Test User", familyName: "User" });
        expect(r.emails).toEqual([{ type: "other", value: "alias@contoso.com" }]);
        expect(r.phoneNumbers).toEqual([{ type: "work", value: "+1 (555) 0100" }]);
        expect(r).not.toHaveProperty(ENTERPRISE);
      },
    ],
    [
      'SingleAppRoleAssignment: roles[primary eq "True"].value upserts a primary role',
      [
        { op: "Add", path: 'roles[primary eq "True"].value', value: "Admin" },
        { op: "Add", path: 'roles[primary eq "True"].display', value: "Administrator" },
        { op: "Add", path: 'roles[primary eq "True"].type', value: "WindowsAzureActiveDirectoryRole" },
      ],
      (r) =>
        expect(r.roles).toEqual([
          { primary: true, value: "Admin", display: "Administrator", type: "WindowsAzureActiveDirectoryRole" },
        ]),
    ],
    [
      "AppRoleAssignmentsComplex: Add path roles with JSON-encoded values stores the decoded role",
      [
        {
          op: "Add",
          path: "roles",
          value: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}' }],
        },
      ],
      (r) => expect(r.roles).toEqual([{ value: "25", display: "Role1234" }]),
    ],
    [
      "AssertiveAppRoleAssignmentsComplex: replace path roles with objects",
      [
        { op: "add", path: "roles", value: [{ value: "Old" }] },
        {
          op: "replace",
          path: "roles",
          value: [{ primary: "false", type: "WindowsAzureActiveDirectoryRole", display: "Admin", value: "Admin" }],
        },
      ],
      (r) =>
        expect(r.roles).toEqual([
          { primary: false, type: "WindowsAzureActiveDirectoryRole", display: "Admin", value: "Admin" },
        ]),
    ],
  ];
  it.each(cases)("%s", (_name, operations, check) => {
    check(patchUser(operations));
  });
});

describe("applyPatch: RFC 7644 §3.5.2 semantics", () => {
  const cases: Array<[string, unknown[], (result: Json) => void]> = [
    [
      "add to a multi-valued attribute appends and a new primary demotes the old one (RFC 7643 §2.4)",
      [{ op: "add", path: "emails", value: [{ type: "home", value: "home@x.org", primary: true }] }],
      (r) =>
        expect(r.emails).toEqual([
          { type: "work", value: "test.user@contoso.com", primary: false },
          { type: "other", value: "alias@contoso.com" },
          { type: "home", value: "home@x.org", primary: true },
        ]),
    ],
    [
      "add of an existing value updates it instead of duplicating",
      [{ op: "add", path: "emails", value: { type: "WORK", value: "TEST.USER@contoso.com", display: "Work" } }],
      (r) =>
        expect(r.emails).toEqual([
          { type: "WORK", value: "TEST.USER@contoso.com", primary: true, display: "Work" },
          { type: "other", value: "alias@contoso.com" },
        ]),
    ],
    [
      "replace of a multi-valued attribute replaces all values",
      [{ op: "replace", path: "emails", value: [{ type: "work", value: "only@x.org" }] }],
      (r) => expect(r.emails).toEqual([{ type: "work", value: "only@x.org" }]),
    ],
    [
      "replace of a complex attribute keeps unspecified sub-attributes",
      [{ op: "replace", path: "name", value: { givenName: "New" } }],
      (r) => expect(r.name).toEqual({ formatted: "Test User", givenName: "New", familyName: "User" }),
    ],
    [
      "replace of a filtered value without sub-attribute swaps the matching value",
      [{ op: "replace", path: 'emails[type eq "other"]', value: { type: "other", value: "new-other@x.org" } }],
      (r) => expect((r.emails as Json[])[1]).toEqual({ type: "other", value: "new-other@x.org" }),
    ],
    [
      "add on a filtered value without sub-attribute merges into it",
      [{ op: "add", path: 'emails[type eq "other"]', value: { display: "Alias" } }],
      (r) => expect((r.emails as Json[])[1]).toEqual({ type: "other", value: "alias@contoso.com", display: "Alias" }),
    ],
    [
      "remove a single-valued attribute",
      [{ op: "remove", path: "displayName" }],
      (r) => expect(r).not.toHaveProperty("displayName"),
    ],
    [
      "remove a sub-attribute",
      [{ op: "remove", path: "name.formatted" }],
      (r) => expect(r.name).toEqual({ givenName: "Test", familyName: "User" }),
    ],
    [
      "remove by filter",
      [{ op: "remove", path: 'emails[type eq "other"]' }],
      (r) => expect(r.emails).toEqual([{ type: "work", value: "test.user@contoso.com", primary: true }]),
    ],
    [
      "remove a sub-attribute by filter",
      [{ op: "remove", path: 'emails[type eq "work"].primary' }],
      (r) => expect((r.emails as Json[])[0]).toEqual({ type: "work", value: "test.user@contoso.com" }),
    ],
    [
      "remove every value of a multi-valued attribute",
      [{ op: "remove", path: "phoneNumbers" }],
      (r) => expect(r).not.toHaveProperty("phoneNumbers"),
    ],
    ["remove a missing attribute is a no-op", [{ op: "remove", path: "title" }], (r) => expect(r).toEqual(user())],
    [
      "a core-URN-qualified path addresses the core attribute",
      [{ op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:userName", value: "urn@x.org" }],
      (r) => expect(r.userName).toBe("urn@x.org"),
    ],
    [
      "the whole enterprise extension by its URN",
      [
        { op: "add", path: ENTERPRISE, value: { department: "Ops", division: "EMEA" } },
        { op: "replace", path: `${ENTERPRISE}:Department`, value: "Sales" },
      ],
      (r) => expect(r[ENTERPRISE]).toEqual({ department: "Sales", division: "EMEA" }),
    ],
    [
      "remove the whole enterprise extension",
      [
        { op: "add", path: `${ENTERPRISE}:department`, value: "Ops" },
        { op: "remove", path: ENTERPRISE },
      ],
      (r) => {
        expect(r).not.toHaveProperty(ENTERPRISE);
        expect(r.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User"]);
      },
    ],
    [
      "a differently-cased existing key is rewritten under the canonical name",
      [{ op: "replace", path: "displayname", value: "Canon" }],
      (r) => {
        expect(r.displayName).toBe("Canon");
        expect(r).not.toHaveProperty("DisplayName");
      },
    ],
    [
      "remove then add userName in one request passes the required check",
      [
        { op: "remove", path: "userName" },
        { op: "add", path: "userName", value: "back@x.org" },
      ],
      (r) => expect(r.userName).toBe("back@x.org"),
    ],
    [
      "a path-less replace may repeat the unchanged id",
      [{ op: "replace", value: { id: "u-1", title: "CTO" } }],
      (r) => expect(r.title).toBe("CTO"),
    ],
  ];
  it.each(cases)("%s", (_name, operations, check) => {
    check(patchUser(operations));
  });
});

describe("applyPatch: group members in both Entra dialects (Microsoft's “Develop and plan provisioning for a SCIM endpoint”)", () => {
  const cases: Array<[string, unknown[], unknown]> = [
    [
      "add members with $ref null",
      [{ op: "Add", path: "members", value: [{ $ref: null, value: "u4" }] }],
      [{ value: "u1" }, { value: "u2" }, { value: "u3" }, { value: "u4" }],
    ],
    [
      "many members in one add, existing ones not duplicated",
      [{ op: "add", path: "members", value: [{ value: "u4" }, { value: "u5" }, { value: "u1" }] }],
      [{ value: "u1" }, { value: "u2" }, { value: "u3" }, { value: "u4" }, { value: "u5" }],
    ],
    [
      "legacy remove with value array removes only the listed member",
      [{ op: "Remove", path: "members", value: [{ $ref: null, value: "u2" }] }],
      [{ value: "u1" }, { value: "u3" }],
    ],
    [
      "legacy remove of several members, one already gone",
      [{ op: "Remove", path: "members", value: [{ value: "u1" }, { value: "u3" }, { value: "u9" }] }],
      [{ value: "u2" }],
    ],
    [
      "aadOptscim062020 remove by filter path",
      [{ op: "remove", path: 'members[value eq "u2"]' }],
      [{ value: "u1" }, { value: "u3" }],
    ],
    [
      "several filtered removes in one request",
      [
        { op: "remove", path: 'members[value eq "u1"]' },
        { op: "remove", path: 'members[value eq "u3"]' },
      ],
      [{ value: "u2" }],
    ],
    [
      "remove by filter with an unquoted value",
      [{ op: "remove", path: "members[value eq u3]" }],
      [{ value: "u1" }, { value: "u2" }],
    ],
    ["remove with no value removes all members (RFC 7644 §3.5.2.2)", [{ op: "remove", path: "members" }], undefined],
    ["replace members", [{ op: "replace", path: "members", value: [{ value: "u7" }] }], [{ value: "u7" }]],
    [
      "member values are case-exact ids",
      [{ op: "remove", path: "members", value: [{ value: "U1" }] }],
      [{ value: "u1" }, { value: "u2" }, { value: "u3" }],
    ],
  ];
  it.each(cases)("%s", (_name, operations, members) => {
    expect(patchGroup(operations).members).toEqual(members);
  });

  it("replaces displayName", () => {
    expect(patchGroup([{ op: "Replace", path: "displayName", value: "Renamed" }]).displayName).toBe("Renamed");
  });
});

describe("applyPatch: errors, all-or-nothing", () => {
  const cases: Array<[string, "user" | "group", unknown[], number, string, RegExp]> = [
    ["replace id", "user", [{ op: "replace", path: "id", value: "other" }], 400, "mutability", /'id' is readOnly/],
    ["remove id", "user", [{ op: "remove", path: "id" }], 400, "mutability", /readOnly/],
    [
      "replace meta.lastModified",
      "user",
      [{ op: "replace", path: "meta.lastModified", value: "2030-01-01T00:00:00Z" }],
      400,
      "mutability",
      /readOnly/,
    ],
    [
      "path-less change of id",
      "user",
      [{ op: "replace", value: { id: "other" } }],
      400,
      "mutability",
      /'id' is readOnly/,
    ],
    [
      "path-less change of meta",
      "user",
      [{ op: "replace", value: { meta: { resourceType: "Group" } } }],
      400,
      "mutability",
      /'meta' is readOnly/,
    ],
    [
      "write to the readOnly groups",
      "user",
      [{ op: "add", path: "groups", value: [{ value: "g" }] }],
      400,
      "mutability",
      /'groups' is readOnly/,
    ],
    [
      "replace of an immutable member id",
      "group",
      [{ op: "replace", path: 'members[value eq "u1"].value', value: "u9" }],
      400,
      "mutability",
      /immutable/,
    ],
    [
      "a custom extension attribute given an object",
      "user",
      [{ op: "add", path: "urn:ietf:params:scim:schemas:extension:Custom:2.0:User:foo", value: { a: 1 } }],
      400,
      "invalidValue",
      /single-valued custom extension attribute/,
    ],
    [
      "a filter on a custom extension attribute",
      "user",
      [{ op: "add", path: 'urn:ietf:params:scim:schemas:extension:Custom:2.0:User:foo[value eq "x"]', value: "x" }],
      400,
      "invalidPath",
      /single-valued/,
    ],
    [
      "value filter on a single-valued attribute",
      "user",
      [{ op: "replace", path: 'name[givenName eq "x"].familyName', value: "x" }],
      400,
      "invalidPath",
      /single-valued/,
    ],
    [
      "malformed filter in path",
      "group",
      [{ op: "remove", path: 'members[value eq "u1"' }],
      400,
      "invalidPath",
      /expected '\]'/,
    ],
    ["remove without a path", "user", [{ op: "remove" }], 400, "noTarget", /requires a 'path'/],
    [
      "upsert impossible from a non-equality filter",
      "user",
      [{ op: "replace", path: 'emails[value co "zzz"].type', value: "home" }],
      400,
      "noTarget",
      /does not describe a value to create/,
    ],
    [
      "active as a non-boolean string",
      "user",
      [{ op: "replace", path: "active", value: "maybe" }],
      400,
      "invalidValue",
      /'active' must be a boolean, got "maybe"/,
    ],
    [
      "userName as a number",
      "user",
      [{ op: "replace", path: "userName", value: 7 }],
      400,
      "invalidValue",
      /must be a string/,
    ],
    [
      "path-less with a non-object value",
      "user",
      [{ op: "replace", value: "x" }],
      400,
      "invalidValue",
      /needs an object/,
    ],
    [
      "complex attribute given a number",
      "user",
      [{ op: "replace", path: "name", value: 5 }],
      400,
      "invalidValue",
      /must be an object/,
    ],
    [
      "two managers",
      "user",
      [{ op: "add", path: `${ENTERPRISE}:manager`, value: [{ value: "a" }, { value: "b" }] }],
      400,
      "invalidValue",
      /single-valued; got 2/,
    ],
    [
      "emptying the required userName",
      "user",
      [{ op: "replace", path: "userName", value: "" }],
      400,
      "invalidValue",
      /'userName' is required/,
    ],
    [
      "removing the required group displayName",
      "group",
      [{ op: "remove", path: "displayName" }],
      400,
      "invalidValue",
      /'displayName' is required/,
    ],
  ];
  it.each(cases)("%s", (_name, kind, operations, status, scimType, detail) => {
    const resource = kind === "user" ? user() : group();
    const before = structuredClone(resource);
    const error = scimErrorOf(() =>
      kind === "user" ? patchUser(operations, resource) : patchGroup(operations, resource),
    );
    expect(error.status).toBe(status);
    expect(error.scimType).toBe(scimType);
    expect(error.detail).toMatch(detail);
    expect(resource).toEqual(before);
  });

  it("leaves the input untouched when a later operation fails", () => {
    const resource = user();
    const before = structuredClone(resource);
    const operations: PatchOperation[] = [
      { op: "replace", path: "displayName", value: "Changed" },
      { op: "add", path: "emails", value: [{ type: "home", value: "h@x.org" }] },
      { op: "replace", path: "active", value: "nope" },
    ];
    expect(() => applyPatch(resource, operations, userResourceType)).toThrow(ScimError);
    expect(resource).toEqual(before);
  });

  it("never mutates the input on success either", () => {
    const resource = user();
    const before = structuredClone(resource);
    const result = applyPatch(resource, [{ op: "replace", path: "name.givenName", value: "Z" }], userResourceType);
    expect(resource).toEqual(before);
    expect(result).not.toBe(resource);
    expect((result.name as Json).givenName).toBe("Z");
  });

  it("names the failing operation's index", () => {
    const error = scimErrorOf(() =>
      patchUser([
        { op: "replace", path: "title", value: "ok" },
        { op: "replace", path: "active", value: 1 },
      ]),
    );
    expect(error.detail).toMatch(/^Operations\[1\]: 'active' must be a boolean/);
  });

  // Unknown attributes are accepted and ignored in PATCH as in POST and PUT, so one such operation
  // never rolls back the others (Entra would retry the whole request every cycle).
  const ignored: Array<[string, "user" | "group", unknown[]]> = [
    ["unknown attribute path", "user", [{ op: "replace", path: "favouriteColour", value: "blue" }]],
    [
      "entitlements, which Entra can send and we do not store",
      "user",
      [{ op: "add", path: "entitlements", value: [{ value: "e" }] }],
    ],
    ["unknown sub-attribute", "user", [{ op: "replace", path: "name.nickname", value: "x" }]],
    ["sub-attribute of a simple attribute", "user", [{ op: "replace", path: "userName.value", value: "x" }]],
    ["a Group attribute on a User", "user", [{ op: "add", path: "members", value: [{ value: "u" }] }]],
    ["enterprise extension on a Group", "group", [{ op: "add", path: `${ENTERPRISE}:department`, value: "x" }]],
    ["an unknown schema", "user", [{ op: "add", path: "urn:example:params:other:Thing:colour", value: "x" }]],
    ["removing an unknown attribute", "user", [{ op: "remove", path: "ims" }]],
    ["filtered remove matching nothing (idempotent)", "group", [{ op: "remove", path: 'members[value eq "nope"]' }]],
  ];
  it.each(ignored)("ignores %s and applies the other operations", (_name, kind, operations) => {
    const resource = kind === "user" ? user() : group();
    const others = [{ op: "replace", path: "displayName", value: "Renamed" }];
    const result =
      kind === "user"
        ? patchUser([...operations, ...others], resource)
        : patchGroup([...operations, ...others], resource);
    expect(result).toEqual({ ...structuredClone(resource), displayName: "Renamed" });
  });
});
