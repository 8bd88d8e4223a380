import { describe, expect, it } from "vitest";
import { ScimError } from "./errors";
import { parsePatchRequest } from "./patch";
import { parseUserPayload, patchUser, renderUser, type UserFields, type UserRecord } from "./user";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const BASE = "https://console.example.com/api/scim/v2/";

/** Microsoft's “Develop and plan provisioning for a SCIM endpoint”: Entra's create-user body. */
const createBody = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
  externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
  userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
  active: true,
  emails: [{ primary: true, type: "work", value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com" }],
  meta: { resourceType: "User" },
  name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
  roles: [],
};

/**
 * Microsoft's “Develop and plan provisioning for a SCIM endpoint”'s legacy "Example 2": null-valued keys and a garbled
 * enterprise URN.
 */
const legacyBody = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
  externalId: "jyoung",
  userName: "jyoung@contoso.com",
  active: true,
  addresses: null,
  displayName: "Joy Young",
  emails: [{ type: "work", value: "jyoung@contoso.com", primary: true }],
  meta: { resourceType: "User" },
  name: { familyName: "Young", givenName: "Joy" },
  phoneNumbers: null,
  preferredLanguage: null,
  title: null,
  department: null,
  manager: null,
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0User": { department: "Finance", manager: null },
};

const empty: Omit<UserFields, "userName"> = {
  externalId: null,
  active: true,
  displayName: null,
  nickName: null,
  title: null,
  userType: null,
  preferredLanguage: null,
  locale: null,
  timezone: null,
  name: null,
  emails: [],
  phoneNumbers: [],
  addresses: [],
  roles: [],
  employeeNumber: null,
  costCenter: null,
  organization: null,
  division: null,
  department: null,
  managerId: null,
  customExtensions: {},
};

describe("parseUserPayload: Entra's bodies", () => {
  it("normalises the create-user body", () => {
    expect(parseUserPayload(createBody)).toEqual({
      ...empty,
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      name: {
        formatted: "givenName familyName",
        familyName: "familyName",
        givenName: "givenName",
        middleName: null,
        honorificPrefix: null,
        honorificSuffix: null,
      },
      emails: [
        {
          value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com",
          type: "work",
          primary: true,
          display: null,
        },
      ],
    });
  });

  it("tolerates nulls, unknown keys and the garbled `…enterprise:2.0User` URN", () => {
    const fields = parseUserPayload(legacyBody);
    expect(fields).toMatchObject({
      userName: "jyoung@contoso.com",
      externalId: "jyoung",
      displayName: "Joy Young",
      title: null,
      department: "Finance",
      managerId: null,
    });
    expect(fields.addresses).toEqual([]);
    expect(fields.phoneNumbers).toEqual([]);
  });

  it.each<[string, unknown, boolean]>([
    ["boolean true", true, true],
    ["boolean false", false, false],
    ['"True"', "True", true],
    ['"False"', "False", false],
    ['"FALSE"', "FALSE", false],
    ["absent → true", undefined, true],
    ["null → true", null, true],
  ])("active %s", (_name, active, expected) => {
    expect(parseUserPayload({ userName: "a", active }).active).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, string | null]>([
    ["a bare id string", { [ENTERPRISE]: { manager: "m-1" } }, "m-1"],
    ["{value}", { [ENTERPRISE]: { manager: { value: "m-2", $ref: "https://x/Users/m-2" } } }, "m-2"],
    ["[{value}] (legacy)", { [ENTERPRISE]: { manager: [{ $ref: "https://x/Users/m-3", value: "m-3" }] } }, "m-3"],
    ["{Value} capitalised", { [ENTERPRISE]: { Manager: { Value: "m-4" } } }, "m-4"],
    ["empty string", { [ENTERPRISE]: { manager: "" } }, null],
    ["a flat URN key", { [`${ENTERPRISE}:manager`]: "m-5" }, "m-5"],
  ])("manager as %s", (_name, body, expected) => {
    expect(parseUserPayload({ userName: "a", ...body }).managerId).toBe(expected);
  });

  it.each<[string, unknown, UserFields["roles"]]>([
    [
      "SingleAppRoleAssignment POST objects",
      [{ primary: true, type: "WindowsAzureActiveDirectoryRole", value: "Admin" }],
      [{ value: "Admin", display: null, type: "WindowsAzureActiveDirectoryRole", primary: true }],
    ],
    [
      "AppRoleAssignmentsComplex POST with display",
      [
        { primary: false, type: "WindowsAzureActiveDirectoryRole", display: "Admin", value: "Admin" },
        { primary: false, type: "WindowsAzureActiveDirectoryRole", display: "User", value: "User" },
      ],
      [
        { value: "Admin", display: "Admin", type: "WindowsAzureActiveDirectoryRole", primary: false },
        { value: "User", display: "User", type: "WindowsAzureActiveDirectoryRole", primary: false },
      ],
    ],
    [
      'POST with displayName and primary as the string "false"',
      [{ value: "APP-Dev", displayName: "APP Dev", primary: "false" }],
      [{ value: "APP-Dev", display: "APP Dev", type: null, primary: false }],
    ],
    [
      "AppRoleAssignmentsComplex PATCH: JSON-encoded value",
      [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6325724a46ee","value":"25","displayName":"Role1234"}' }],
      [{ value: "25", display: "Role1234", type: null, primary: null }],
    ],
    ["a bare string", ["Reader"], [{ value: "Reader", display: null, type: null, primary: null }]],
    [
      "a single object instead of an array",
      { value: "Solo" },
      [{ value: "Solo", display: null, type: null, primary: null }],
    ],
    [
      "a value that only looks like JSON",
      [{ value: "{not json" }],
      [{ value: "{not json", display: null, type: null, primary: null }],
    ],
    ["null entries and entries without value are dropped", [null, { display: "no value" }], []],
  ])("roles: %s", (_name, roles, expected) => {
    expect(parseUserPayload({ userName: "a", roles }).roles).toEqual(expected);
  });

  it("matches attribute names case-insensitively and keeps values as sent", () => {
    const fields = parseUserPayload({
      UserName: "b@x.org",
      DisplayName: "B",
      PhoneNumbers: [{ Type: "mobile", Value: "+46 (0)70-123 45 67", Primary: "True" }],
      Addresses: [{ type: "work", Locality: "Stockholm" }, { type: "home" }],
    });
    expect(fields.userName).toBe("b@x.org");
    expect(fields.displayName).toBe("B");
    expect(fields.phoneNumbers).toEqual([
      { value: "+46 (0)70-123 45 67", type: "mobile", primary: true, display: null },
    ]);
    expect(fields.addresses).toEqual([
      {
        formatted: null,
        streetAddress: null,
        locality: "Stockholm",
        region: null,
        postalCode: null,
        country: null,
        type: "work",
        primary: null,
      },
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ["missing userName", { displayName: "x" }, /'userName': is required/],
    ["blank userName", { userName: "  " }, /'userName': is required/],
    ["active that is not a boolean", { userName: "a", active: "yes" }, /'active': must be true or false/],
    ["an email that is not a string", { userName: "a", emails: [{ value: { nested: true } }] }, /'emails\.0\.value'/],
    [
      "a manager that is a number",
      { userName: "a", [ENTERPRISE]: { manager: 5 } },
      /'manager': must be the manager's id/,
    ],
  ])("rejects %s with 400 invalidValue", (_name, body, detail) => {
    try {
      parseUserPayload(body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ScimError);
      expect((error as ScimError).scimType).toBe("invalidValue");
      expect((error as ScimError).detail).toMatch(detail);
    }
  });

  it("rejects a non-object body with invalidSyntax", () => {
    expect(() => parseUserPayload([createBody])).toThrow(/must be a JSON object/);
  });
});

const record = (overrides: Partial<UserRecord> = {}): UserRecord => ({
  ...parseUserPayload(createBody),
  id: "u-1",
  version: 1,
  createdAt: new Date("2026-01-01T00:00:00.000Z"),
  updatedAt: new Date("2026-01-02T03:04:05.000Z"),
  ...overrides,
});

describe("renderUser", () => {
  it("echoes the create body with id and meta, omitting unassigned attributes", () => {
    expect(renderUser(record(), BASE)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      id: "u-1",
      externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      userName: "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
      name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
      active: true,
      emails: [{ value: "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com", type: "work", primary: true }],
      meta: {
        resourceType: "User",
        created: "2026-01-01T00:00:00.000Z",
        lastModified: "2026-01-02T03:04:05.000Z",
        location: "https://console.example.com/api/scim/v2/Users/u-1",
        version: 'W/"1"',
      },
    });
  });

  it("renders manager as {value, $ref, displayName} and the enterprise schema", () => {
    const rendered = renderUser(record({ managerId: "m-1", managerDisplayName: "Boss", department: "Sales" }), BASE);
    expect(rendered.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE]);
    expect(rendered[ENTERPRISE]).toEqual({
      department: "Sales",
      manager: { value: "m-1", $ref: "https://console.example.com/api/scim/v2/Users/m-1", displayName: "Boss" },
    });
  });

  it("renders groups as readOnly references and inactive users as active:false", () => {
    const rendered = renderUser(record({ active: false, groups: [{ id: "g-1", displayName: "Eng" }] }), BASE);
    expect(rendered.active).toBe(false);
    expect(rendered.groups).toEqual([
      { value: "g-1", $ref: "https://console.example.com/api/scim/v2/Groups/g-1", display: "Eng", type: "direct" },
    ]);
  });

  it("round-trips through parseUserPayload", () => {
    const full = record({
      displayName: "D",
      phoneNumbers: [{ value: "+1 (555) 0100", type: "work", primary: null, display: null }],
      addresses: [
        {
          formatted: null,
          streetAddress: "1 Main",
          locality: "Oslo",
          region: null,
          postalCode: "0150",
          country: "NO",
          type: "work",
          primary: true,
        },
      ],
      roles: [{ value: "Admin", display: "Admin", type: "WindowsAzureActiveDirectoryRole", primary: false }],
      employeeNumber: "7",
      managerId: "m-1",
    });
    const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...fields } = full;
    expect(parseUserPayload(renderUser(full, BASE))).toEqual(fields);
  });
});

describe("patchUser: Entra sequences end to end", () => {
  const body = (...operations: unknown[]) =>
    parsePatchRequest({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations });

  it('disables with "False" and restores with true', () => {
    const disabled = patchUser(record(), body({ op: "Replace", path: "active", value: "False" }), BASE);
    expect(disabled.active).toBe(false);
    const restored = patchUser(record({ ...disabled }), body({ op: "replace", path: "active", value: true }), BASE);
    expect(restored.active).toBe(true);
  });

  it("sets, changes and clears the manager (B SCIM_Update_Manager_Test)", () => {
    const set = patchUser(record(), body({ op: "Add", path: `${ENTERPRISE}:manager`, value: "m-1" }), BASE);
    expect(set.managerId).toBe("m-1");
    const changed = patchUser(
      record({ ...set, managerDisplayName: "Old Boss" }),
      body({ op: "Replace", path: `${ENTERPRISE}:manager`, value: "m-2" }),
      BASE,
    );
    expect(changed.managerId).toBe("m-2");
    const cleared = patchUser(
      record({ ...changed }),
      body({ op: "Replace", path: `${ENTERPRISE}:manager`, value: "" }),
      BASE,
    );
    expect(cleared.managerId).toBeNull();
  });

  it("applies the aadOptscim062020 multi-attribute replace", () => {
    const fields = patchUser(
      record(),
      body(
        { op: "replace", path: 'emails[type eq "work"].value', value: "ryan@contoso.com" },
        {
          op: "replace",
          value: { displayName: "Ryan", "name.givenName": "Ryan", [`${ENTERPRISE}:employeeNumber`]: "42" },
        },
      ),
      BASE,
    );
    expect(fields.emails).toEqual([{ value: "ryan@contoso.com", type: "work", primary: true, display: null }]);
    expect(fields).toMatchObject({ displayName: "Ryan", employeeNumber: "42" });
    expect(fields.name?.givenName).toBe("Ryan");
  });

  it("decodes AppRoleAssignmentsComplex roles added by PATCH", () => {
    const fields = patchUser(
      record(),
      body({ op: "Add", path: "roles", value: [{ value: '{"id":"x","value":"25","displayName":"Role1234"}' }] }),
      BASE,
    );
    expect(fields.roles).toEqual([{ value: "25", display: "Role1234", type: null, primary: null }]);
  });

  it("refuses to clear active", () => {
    expect(() => patchUser(record(), body({ op: "replace", path: "active", value: null }), BASE)).toThrow(
      /'active' cannot be cleared/,
    );
  });

  it("leaves the record untouched when an operation fails", () => {
    const original = record();
    const snapshot = structuredClone(original);
    expect(() =>
      patchUser(
        original,
        body({ op: "replace", path: "displayName", value: "X" }, { op: "replace", path: "id", value: "y" }),
        BASE,
      ),
    ).toThrow(ScimError);
    expect(original).toEqual(snapshot);
  });
});
