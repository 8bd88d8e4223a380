import { beforeAll, describe, expect, it } from "vitest";
import { handleScimRequest, type ScimResponse } from "../scim/dispatch";
import type { AttributeDefinition } from "../scim/schemas";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { getDb } from "./index";
import { createScimStore } from "./scim-store";

// What /Schemas describes is what the server keeps: every attribute a resource reads back is
// described (Microsoft's validator compares the discovered attributes with Entra's mapping), and
// every described writable attribute round-trips through POST and through PATCH on the real store.

const BASE = "https://console.example.com/api/scim/v2";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Body = Record<string, unknown>;
type SchemaDocument = { id: string; attributes: AttributeDefinition[] };

useFreshStore();

let send: (method: string, path: string, body?: unknown) => Promise<ScimResponse>;
let schemas: Map<string, SchemaDocument>;
let managerId: string;

beforeAll(async () => {
  const { teamId } = await createTeam({
    teamName: "Contoso",
    adminName: "Ada",
    email: `admin-${Date.now()}@example.com`,
    password: "Sturdy-Passw0rd",
  });
  const store = createScimStore(await getDb());
  send = (method, path, body) => {
    const [pathname = "", search = ""] = path.split("?");
    return handleScimRequest(
      { method, path: pathname, query: new URLSearchParams(search), body, baseUrl: BASE, teamId },
      store,
    );
  };
  const listed = (await send("GET", "/Schemas")).body as { Resources: SchemaDocument[] };
  schemas = new Map(listed.Resources.map((schema) => [schema.id, schema]));
  managerId = ((await send("POST", "/Users", { userName: "manager@contoso.com" })).body as Body).id as string;
});

const writable = (definition: AttributeDefinition) =>
  definition.mutability === "readWrite" || definition.mutability === "immutable";

/** A distinctive value for a described attribute, built from its definition alone. */
function sampleValue(definition: AttributeDefinition, path: string): unknown {
  if (definition.type === "complex") {
    const subs = (definition.subAttributes ?? []).filter(writable);
    const element = Object.fromEntries(subs.map((sub) => [sub.name, sampleValue(sub, `${path}.${sub.name}`)]));
    return definition.multiValued ? [element] : element;
  }
  if (path.endsWith("manager.value") || path.endsWith("members.value")) return managerId;
  if (definition.type === "boolean") return path === "active" ? false : true;
  if (definition.canonicalValues?.length) return definition.canonicalValues[0];
  return `v-${path}`;
}

function describedNames(schema: SchemaDocument): Set<string> {
  const names = new Set<string>();
  for (const definition of schema.attributes) {
    names.add(definition.name.toLowerCase());
    for (const sub of definition.subAttributes ?? []) names.add(`${definition.name}.${sub.name}`.toLowerCase());
  }
  return names;
}

/** Every attribute (and sub-attribute) name in a resource, as `name` or `name.sub`. */
function namesIn(object: Body): string[] {
  const names: string[] = [];
  for (const [key, value] of Object.entries(object)) {
    names.push(key.toLowerCase());
    const elements = Array.isArray(value) ? value : [value];
    for (const element of elements) {
      if (element && typeof element === "object" && !Array.isArray(element))
        for (const sub of Object.keys(element)) names.push(`${key}.${sub}`.toLowerCase());
    }
  }
  return names;
}

const COMMON = new Set([
  "schemas",
  "id",
  "meta",
  "meta.resourcetype",
  "meta.created",
  "meta.lastmodified",
  "meta.location",
  "meta.version",
]);

function fullUser(userName: string): Body {
  const core = schemas.get(USER) as SchemaDocument;
  const enterprise = schemas.get(ENTERPRISE) as SchemaDocument;
  const body: Body = { schemas: [USER, ENTERPRISE] };
  for (const definition of core.attributes.filter(writable))
    body[definition.name] = sampleValue(definition, definition.name);
  body.userName = userName;
  body[ENTERPRISE] = Object.fromEntries(
    enterprise.attributes
      .filter(writable)
      .map((definition) => [definition.name, sampleValue(definition, definition.name)]),
  );
  return body;
}

describe("/Schemas describes exactly what the server keeps", () => {
  it("describes User (with externalId), EnterpriseUser and Group (with externalId and members)", () => {
    expect([...schemas.keys()]).toEqual([USER, ENTERPRISE, GROUP]);
    expect(describedNames(schemas.get(USER) as SchemaDocument)).toContain("externalid");
    expect([...describedNames(schemas.get(GROUP) as SchemaDocument)]).toEqual(
      expect.arrayContaining(["displayname", "externalid", "members", "members.value", "members.display"]),
    );
  });

  it("every attribute a user reads back is described, and every described writable one round-trips through POST", async () => {
    const body = fullUser("everything@contoso.com");
    const created = await send("POST", "/Users", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = (await send("GET", `/Users/${(created.body as Body).id as string}`)).body as Body;

    const core = describedNames(schemas.get(USER) as SchemaDocument);
    const enterprise = describedNames(schemas.get(ENTERPRISE) as SchemaDocument);
    const { [ENTERPRISE]: readEnterprise, ...readCore } = read;
    expect(namesIn(readCore).filter((name) => !COMMON.has(name) && !core.has(name))).toEqual([]);
    expect(namesIn(readEnterprise as Body).filter((name) => !enterprise.has(name))).toEqual([]);

    for (const [name, value] of Object.entries(body)) {
      if (name === "schemas") continue;
      if (name === ENTERPRISE) {
        const { manager, ...rest } = value as Body;
        expect(readEnterprise).toMatchObject({
          ...rest,
          manager: {
            value: (manager as Body).value,
            $ref: `${BASE}/Users/${managerId}`,
            displayName: "manager@contoso.com",
          },
        });
        continue;
      }
      expect(read[name], name).toEqual(value);
    }
  });

  it("every described writable user attribute round-trips through PATCH on its own path", async () => {
    const id = ((await send("POST", "/Users", { userName: "patched@contoso.com" })).body as Body).id as string;
    const body = fullUser("patched-again@contoso.com");
    const operations = Object.entries(body)
      .filter(([name]) => name !== "schemas" && name !== ENTERPRISE)
      .map(([path, value]) => ({ op: "replace", path, value }));
    for (const [name, value] of Object.entries(body[ENTERPRISE] as Body))
      operations.push({ op: "replace", path: `${ENTERPRISE}:${name}`, value });
    const patched = await send("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: operations });
    expect(patched.status, JSON.stringify(patched.body)).toBe(204);
    const read = (await send("GET", `/Users/${id}`)).body as Body;
    for (const { path, value } of operations) {
      if (path.startsWith(ENTERPRISE)) {
        const attribute = path.slice(ENTERPRISE.length + 1);
        const actual = (read[ENTERPRISE] as Body)[attribute];
        expect(attribute === "manager" ? (actual as Body).value : actual, path).toEqual(
          attribute === "manager" ? (value as Body).value : value,
        );
      } else expect(read[path], path).toEqual(value);
    }
  });

  it("every attribute a group reads back is described, and every described writable one round-trips", async () => {
    const group = schemas.get(GROUP) as SchemaDocument;
    const body: Body = { schemas: [GROUP] };
    for (const definition of group.attributes.filter(writable))
      body[definition.name] = sampleValue(definition, definition.name);
    const created = await send("POST", "/Groups", body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const read = (await send("GET", `/Groups/${(created.body as Body).id as string}`)).body as Body;
    expect(namesIn(read).filter((name) => !COMMON.has(name) && !describedNames(group).has(name))).toEqual([]);
    expect(read).toMatchObject({
      displayName: body.displayName,
      externalId: body.externalId,
      members: [{ ...(body.members as Body[])[0], $ref: `${BASE}/Users/${managerId}` }],
    });
  });
});
