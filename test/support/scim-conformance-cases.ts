import { beforeEach, describe, expect, it } from "vitest";
import { handleScimRequest, type ScimResponse } from "../../lib/scim/dispatch";
import type { ScimStore } from "../../lib/scim/store";

// Each behaviour Microsoft's SCIM validator and real Entra provisioning cycles rely on, replayed in
// both of Entra's PATCH dialects: the default one ("Add"/"Replace"/"Remove", booleans as strings,
// member removal with a value array) and aadOptscim062020 (lower-case ops, filtered member paths).

const BASE = "https://console.example.com/api/scim/v2";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CUSTOM = "urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Body = Record<string, unknown>;
type Dialect = {
  name: string;
  op(op: "add" | "replace" | "remove"): string;
  bool(value: boolean): boolean | string;
  /** One member's removal, as the dialect sends it. */
  removeMember(id: string): Body;
};

const DIALECTS: Dialect[] = [
  {
    name: "default (no flag)",
    op: (op) => op[0]!.toUpperCase() + op.slice(1),
    bool: (value) => (value ? "True" : "False"),
    removeMember: (id) => ({ op: "Remove", path: "members", value: [{ $ref: null, value: id }] }),
  },
  {
    name: "aadOptscim062020",
    op: (op) => op,
    bool: (value) => value,
    removeMember: (id) => ({ op: "remove", path: `members[value eq "${id}"]` }),
  },
];

/**
 * Defines the suite against a store; `setup` runs before each test and gives it a fresh team.
 * Used with the in-memory store (conformance.test.ts) and the Prisma store on a real database.
 */
export function describeEntraConformance(
  storeName: string,
  setup: () => Promise<{ store: ScimStore; teamId: string }>,
): void {
  let store: ScimStore;
  let TEAM: string;
  beforeEach(async () => {
    ({ store, teamId: TEAM } = await setup());
  });

  function send(
    method: string,
    path: string,
    body?: unknown,
    headers: { ifMatch?: string; ifNoneMatch?: string } = {},
  ): Promise<ScimResponse> {
    const [pathname = "", search = ""] = path.split("?");
    return handleScimRequest(
      { method, path: pathname, query: new URLSearchParams(search), body, baseUrl: BASE, teamId: TEAM, ...headers },
      store,
    );
  }

  async function ok(method: string, path: string, body: unknown, status: number): Promise<ScimResponse> {
    const response = await send(method, path, body);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    return response;
  }

  const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
  const get = async (path: string) => (await ok("GET", path, undefined, 200)).body as Body;
  const list = async (path: string) => (await get(path)) as { totalResults: number; Resources: Body[] };

  async function createUser(userName: string, extra: Body = {}): Promise<string> {
    const body = {
      schemas: [USER, ENTERPRISE],
      userName,
      externalId: `ext-${userName}`,
      active: true,
      emails: [{ primary: true, type: "work", value: userName }],
      ...extra,
    };
    return ((await ok("POST", "/Users", body, 201)).body as Body).id as string;
  }

  async function createGroup(displayName: string): Promise<string> {
    return (
      (
        await ok(
          "POST",
          "/Groups",
          { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName, externalId: `ext-${displayName}` },
          201,
        )
      ).body as Body
    ).id as string;
  }

  const appRole = (value: string) => ({
    primary: false,
    type: "WindowsAzureActiveDirectoryRole",
    value: JSON.stringify({ id: `id-${value}`, value, displayName: `${value} role` }),
  });

  describe.each(DIALECTS)(`Entra conformance on ${storeName}, $name dialect`, (dialect) => {
    it("stores custom extension attributes as sent and ignores unknown attributes without failing the other operations", async () => {
      const id = await createUser("custom@contoso.com", {
        [CUSTOM]: { CostCode: "701984" },
        [`${CUSTOM}:Badge`]: "B-1",
        entitlements: [{ value: "e" }],
        favouriteColour: "blue",
      });
      expect(await get(`/Users/${id}`)).toMatchObject({
        [CUSTOM]: { CostCode: "701984", Badge: "B-1" },
        schemas: [USER, CUSTOM],
      });

      await ok(
        "PATCH",
        `/Users/${id}`,
        patch(
          { op: dialect.op("add"), path: `${CUSTOM}:CostCode`, value: "5" },
          { op: dialect.op("add"), path: "entitlements", value: [{ value: "admin" }] },
          { op: dialect.op("replace"), path: "ims", value: "x" },
          { op: dialect.op("remove"), path: `${CUSTOM}:Badge` },
          { op: dialect.op("replace"), path: "title", value: "Engineer" },
          { op: dialect.op("replace"), path: "active", value: dialect.bool(false) },
        ),
        204,
      );
      const user = await get(`/Users/${id}`);
      expect(user).toMatchObject({ title: "Engineer", active: false, [CUSTOM]: { CostCode: "5" } });
      expect(user).not.toHaveProperty("entitlements");
      expect(user).not.toHaveProperty("ims");

      // PUT drops unknown attributes the same way and replaces the custom ones.
      await ok(
        "PUT",
        `/Users/${id}`,
        { schemas: [USER], userName: "custom@contoso.com", entitlements: [{ value: "e" }], [`${CUSTOM}:Other`]: true },
        200,
      );
      expect((await get(`/Users/${id}`))[CUSTOM]).toEqual({ Other: true });
    });

    it("decodes app roles sent as JSON strings: the same role is stored once and removed by the value Entra sent", async () => {
      const id = await createUser("roles@contoso.com");
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("add"), path: "roles", value: [appRole("Administrator"), appRole("User")] }),
        204,
      );
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("add"), path: "roles", value: [appRole("Administrator")] }),
        204,
      );
      expect((await get(`/Users/${id}`)).roles).toEqual([
        {
          value: "Administrator",
          display: "Administrator role",
          type: "WindowsAzureActiveDirectoryRole",
          primary: false,
        },
        { value: "User", display: "User role", type: "WindowsAzureActiveDirectoryRole", primary: false },
      ]);
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("remove"), path: "roles", value: [appRole("Administrator")] }),
        204,
      );
      expect(((await get(`/Users/${id}`)).roles as Body[]).map((role) => role.value)).toEqual(["User"]);
    });

    it("removes a member idempotently: 204 also when the user is no longer a member (or deleted)", async () => {
      const group = await createGroup("Sales");
      const [ann, bo] = [await createUser("ann@contoso.com"), await createUser("bo@contoso.com")];
      await ok(
        "PATCH",
        `/Groups/${group}`,
        patch({ op: dialect.op("add"), path: "members", value: [{ value: ann }, { value: bo }] }),
        204,
      );
      await ok("PATCH", `/Groups/${group}`, patch(dialect.removeMember(ann)), 204);
      await ok("PATCH", `/Groups/${group}`, patch(dialect.removeMember(ann)), 204);
      await ok("DELETE", `/Users/${bo}`, undefined, 204);
      await ok("PATCH", `/Groups/${group}`, patch(dialect.removeMember(bo)), 204);
      expect((await get(`/Groups/${group}`)).members).toEqual([]);
    });

    it("round-trips userName and group displayName exactly, so Entra's exact-value filter finds them", async () => {
      const userName = "  Padded.User@contoso.com ";
      const id = await createUser(userName);
      expect((await get(`/Users/${id}`)).userName).toBe(userName);
      expect((await list(`/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`)).totalResults).toBe(1);
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("replace"), path: "userName", value: ` ${userName}` }),
        204,
      );
      expect((await get(`/Users/${id}`)).userName).toBe(` ${userName}`);
      const group = await createGroup(" Sales EMEA ");
      expect((await get(`/Groups/${group}`)).displayName).toBe(" Sales EMEA ");
      expect((await list(`/Groups?filter=${encodeURIComponent('displayName eq " Sales EMEA "')}`)).totalResults).toBe(
        1,
      );
      expect((await send("POST", "/Users", { userName: "   " })).status).toBe(400);
    });

    it('keeps a manager reference that is not (yet) a user, and clears it with {value: ""}', async () => {
      const id = await createUser("report@contoso.com", {
        [ENTERPRISE]: { manager: { value: "not-yet-provisioned" } },
      });
      expect((await get(`/Users/${id}`))[ENTERPRISE]).toEqual({
        manager: { value: "not-yet-provisioned", $ref: `${BASE}/Users/not-yet-provisioned` },
      });
      const boss = await createUser("boss@contoso.com", { displayName: "The Boss" });
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("replace"), path: `${ENTERPRISE}:manager`, value: boss }),
        204,
      );
      expect((await get(`/Users/${id}`))[ENTERPRISE]).toEqual({
        manager: { value: boss, $ref: `${BASE}/Users/${boss}`, displayName: "The Boss" },
      });
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("replace"), path: `${ENTERPRISE}:manager`, value: { value: "" } }),
        204,
      );
      expect(await get(`/Users/${id}`)).not.toHaveProperty(ENTERPRISE);
    });

    it("accepts two users with the same externalId", async () => {
      const guid = "7d9f2c1e-0000-4000-8000-00000000abcd";
      const first = await createUser("one@contoso.com", { externalId: guid });
      const second = await createUser("two@contoso.com", { externalId: guid });
      expect(
        (await list(`/Users?filter=${encodeURIComponent(`externalId eq "${guid}"`)}`)).Resources.map((user) => user.id),
      ).toEqual([first, second]);
    });

    it("keeps at most one primary value per attribute after POST, PUT and PATCH", async () => {
      const emails = [
        { type: "work", value: "a@contoso.com", primary: dialect.bool(true) },
        { type: "other", value: "b@contoso.com", primary: true },
      ];
      const id = await createUser("primary@contoso.com", { emails });
      const primaries = async () =>
        ((await get(`/Users/${id}`)).emails as Body[])
          .filter((email) => email.primary === true)
          .map((email) => email.value);
      expect(await primaries()).toEqual(["a@contoso.com"]);
      await ok(
        "PUT",
        `/Users/${id}`,
        { schemas: [USER], userName: "primary@contoso.com", emails: [...emails].reverse() },
        200,
      );
      expect(await primaries()).toEqual(["b@contoso.com"]);
      await ok(
        "PATCH",
        `/Users/${id}`,
        patch({
          op: dialect.op("add"),
          path: "emails",
          value: [{ type: "home", value: "c@contoso.com", primary: dialect.bool(true) }],
        }),
        204,
      );
      expect(await primaries()).toEqual(["c@contoso.com"]);
    });

    it("answers the Tenant URL itself in SCIM", async () => {
      const response = await ok("GET", "", undefined, 200);
      expect(response.headers?.["Content-Type"]).toBe("application/scim+json");
      expect(response.body).toMatchObject({
        schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        totalResults: 2,
        Resources: [{ endpoint: "/Users" }, { endpoint: "/Groups" }],
      });
      expect((await send("POST", "/", {})).status).toBe(405);
    });

    it('gives group members a display and selects elements with attributes=emails[type eq "work"]', async () => {
      const group = await createGroup("Display");
      const ann = await createUser("ann@contoso.com", {
        displayName: "Ann Andersson",
        emails: [
          { type: "work", value: "ann@contoso.com" },
          { type: "home", value: "ann@home.example" },
        ],
      });
      await ok(
        "PATCH",
        `/Groups/${group}`,
        patch({ op: dialect.op("add"), path: "members", value: [{ $ref: null, value: ann }] }),
        204,
      );
      expect((await get(`/Groups/${group}`)).members).toEqual([
        { value: ann, $ref: `${BASE}/Users/${ann}`, display: "Ann Andersson" },
      ]);
      const selected = await get(`/Users/${ann}?attributes=${encodeURIComponent('emails[type eq "work"]')}`);
      expect(selected.emails).toEqual([{ type: "work", value: "ann@contoso.com" }]);
      expect(selected).not.toHaveProperty("userName");
      const values = await get(
        `/Users/${ann}?attributes=${encodeURIComponent('emails[type eq "home"].value,userName')}`,
      );
      expect(values).toMatchObject({ emails: [{ value: "ann@home.example" }], userName: "ann@contoso.com" });
    });

    it("sorts by sortBy/sortOrder, missing values last when ascending", async () => {
      for (const [userName, title] of [
        ["c@x.org", "beta"],
        ["a@x.org", undefined],
        ["b@x.org", "Alpha"],
      ] as const)
        await createUser(userName, title ? { title } : {});
      const order = async (query: string) => (await list(`/Users?${query}`)).Resources.map((user) => user.userName);
      expect(await order("sortBy=userName")).toEqual(["a@x.org", "b@x.org", "c@x.org"]);
      expect(await order("sortBy=userName&sortOrder=descending")).toEqual(["c@x.org", "b@x.org", "a@x.org"]);
      expect(await order("sortBy=title")).toEqual(["b@x.org", "c@x.org", "a@x.org"]);
      expect((await send("GET", "/Users?sortBy=userName&sortOrder=sideways")).status).toBe(400);
    });

    it("supports weak ETags: meta.version, If-Match on PUT/PATCH/DELETE (412 when stale), If-None-Match on GET", async () => {
      const id = await createUser("etag@contoso.com");
      const read = await send("GET", `/Users/${id}`);
      const etag = read.headers?.ETag as string;
      expect(etag).toMatch(/^W\/"\d+"$/);
      expect((read.body as { meta: Body }).meta.version).toBe(etag);
      expect((await send("GET", `/Users/${id}`, undefined, { ifNoneMatch: etag })).status).toBe(304);

      const changed = await send(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("replace"), path: "title", value: "One" }),
        { ifMatch: etag },
      );
      expect(changed.status).toBe(204);
      expect(changed.headers?.ETag).not.toBe(etag);
      const stale = await send(
        "PATCH",
        `/Users/${id}`,
        patch({ op: dialect.op("replace"), path: "title", value: "Two" }),
        { ifMatch: etag },
      );
      expect(stale.status).toBe(412);
      expect((await get(`/Users/${id}`)).title).toBe("One");
      expect((await send("PUT", `/Users/${id}`, { userName: "etag@contoso.com" }, { ifMatch: etag })).status).toBe(412);
      expect((await send("DELETE", `/Users/${id}`, undefined, { ifMatch: etag })).status).toBe(412);
      expect(
        (await send("DELETE", `/Users/${id}`, undefined, { ifMatch: changed.headers?.ETag as string })).status,
      ).toBe(204);

      const group = await createGroup("Tagged");
      const groupTag = (await send("GET", `/Groups/${group}`)).headers?.ETag as string;
      await ok(
        "PATCH",
        `/Groups/${group}`,
        patch({ op: dialect.op("replace"), path: "displayName", value: "Tagged 2" }),
        204,
      );
      expect((await send("DELETE", `/Groups/${group}`, undefined, { ifMatch: groupTag })).status).toBe(412);
      expect((await send("DELETE", `/Groups/${group}`, undefined, { ifMatch: "*" })).status).toBe(204);
    });
  });
}
