import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type PrismaClient } from "../db";
import { createScimStore } from "../db/scim-store";
import { handleScimRequest, type ScimResponse } from "../scim/dispatch";
import type { ScimStore } from "../scim/store";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { DEFAULT_ROLE_MAPPING, getRoleMappingView, saveRoleMapping } from "./role-mapping";

// Entra app roles -> Storegate roles, through the SCIM entry point on the real store: assign,
// change, remove (demotes on the next PATCH), a team's own mapping, and the last-admin guard.

const BASE = "https://console.example.com/api/scim/v2";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let prisma: PrismaClient;
let store: ScimStore;

useFreshStore();
beforeAll(async () => {
  prisma = await getDb();
  store = createScimStore(prisma);
});

type Body = Record<string, unknown>;

async function newTeam() {
  const suffix = Math.random().toString(36).slice(2, 10);
  const { teamId, adminUserId } = await createTeam({
    teamName: "Contoso",
    adminName: "Ada Admin",
    email: `admin-${suffix}@example.com`,
    password: "Sturdy-Passw0rd",
  });
  const send = (method: string, path: string, body?: unknown): Promise<ScimResponse> =>
    handleScimRequest({ method, path, query: new URLSearchParams(), body, baseUrl: BASE, teamId }, store);
  return { teamId, adminUserId, send };
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
/** AppRoleAssignmentsComplex: each role's value is the JSON-encoded app role. */
const appRole = (value: string) => ({
  primary: false,
  type: "WindowsAzureActiveDirectoryRole",
  value: JSON.stringify({ id: `id-${value}`, value, displayName: value }),
});
const roleOf = async (id: string) =>
  (await prisma.user.findUniqueOrThrow({ where: { id }, select: { role: true } })).role;
const roleAudits = (teamId: string, id: string) =>
  prisma.auditEvent.findMany({
    where: { teamId, targetId: id, action: "member.role_change" },
    orderBy: { createdAt: "asc" },
    select: { outcome: true, details: true },
  });

describe("provisioning role mapping", () => {
  it("assigns, changes and removes roles by the default mapping, auditing each change", async () => {
    const { teamId, send } = await newTeam();
    const created = await send("POST", "/Users", {
      userName: "ann@contoso.com",
      roles: [{ value: "Administrator", primary: true }],
    });
    expect(created.status).toBe(201);
    const id = (created.body as Body).id as string;
    expect(await roleOf(id)).toBe("ADMIN");

    // Case-insensitive: "user" maps like "User"; Assertive… replaces the whole list.
    expect(
      (await send("PATCH", `/Users/${id}`, patch({ op: "replace", path: "roles", value: [{ value: "user" }] }))).status,
    ).toBe(204);
    expect(await roleOf(id)).toBe("USER");
    expect(
      (await send("PATCH", `/Users/${id}`, patch({ op: "Add", path: "roles", value: [appRole("Administrator")] })))
        .status,
    ).toBe(204);
    expect(await roleOf(id)).toBe("ADMIN");
    // Removed in Entra: the next PATCH demotes to the default role.
    expect(
      (await send("PATCH", `/Users/${id}`, patch({ op: "Remove", path: "roles", value: [appRole("Administrator")] })))
        .status,
    ).toBe(204);
    expect(await roleOf(id)).toBe("USER");

    expect(
      (await roleAudits(teamId, id)).map((event) => [
        event.outcome,
        (event.details as Body).member,
        (event.details as Body).oldRole,
        (event.details as Body).newRole,
      ]),
    ).toEqual([
      ["success", "ann@contoso.com", null, "ADMIN"],
      ["success", "ann@contoso.com", "ADMIN", "USER"],
      ["success", "ann@contoso.com", "USER", "ADMIN"],
      ["success", "ann@contoso.com", "ADMIN", "USER"],
    ]);
    expect((await getRoleMappingView(teamId)).seenAppRoles).toEqual(["user"]);
  });

  it("applies a team's own mapping and default role", async () => {
    const { teamId, adminUserId, send } = await newTeam();
    expect(await getRoleMappingView(teamId)).toEqual({ ...DEFAULT_ROLE_MAPPING, seenAppRoles: [] });
    await saveRoleMapping(
      { id: adminUserId, teamId },
      {
        mappings: [
          { appRole: "Storage.Owners", role: "ADMIN" },
          { appRole: "Readers", role: "USER" },
        ],
        defaultRole: "ADMIN",
      },
    );
    const owner = (
      (await send("POST", "/Users", { userName: "owner@contoso.com", roles: [appRole("storage.owners")] })).body as Body
    ).id as string;
    const reader = (
      (
        await send("POST", "/Users", {
          userName: "reader@contoso.com",
          roles: [{ value: "Readers" }, { value: "Unmapped" }],
        })
      ).body as Body
    ).id as string;
    const nobody = (
      (await send("POST", "/Users", { userName: "nobody@contoso.com", roles: [{ value: "Administrator" }] }))
        .body as Body
    ).id as string;
    expect([await roleOf(owner), await roleOf(reader), await roleOf(nobody)]).toEqual(["ADMIN", "USER", "ADMIN"]);
    expect((await getRoleMappingView(teamId)).seenAppRoles).toEqual([
      "Administrator",
      "Readers",
      "storage.owners",
      "Unmapped",
    ]);
    expect(
      await prisma.auditEvent.count({
        where: { teamId, action: "provisioning.role_mapping_update", actorUserId: adminUserId },
      }),
    ).toBe(1);
    await expect(
      saveRoleMapping(
        { id: adminUserId, teamId },
        {
          mappings: [
            { appRole: "A", role: "ADMIN" },
            { appRole: "a", role: "USER" },
          ],
          defaultRole: "USER",
        },
      ),
    ).rejects.toThrow(/mapped twice/);
  });

  it("never demotes the last active Administrator: the request succeeds, the member stays Administrator, log and audit say why", async () => {
    const { teamId, adminUserId, send } = await newTeam();
    const id = (
      (await send("POST", "/Users", { userName: "last@contoso.com", roles: [{ value: "Administrator" }] })).body as Body
    ).id as string;
    // While the signed-up Administrator is active, the demotion goes through.
    await send("PATCH", `/Users/${id}`, patch({ op: "replace", path: "roles", value: [] }));
    expect(await roleOf(id)).toBe("USER");
    await send("PATCH", `/Users/${id}`, patch({ op: "replace", path: "roles", value: [{ value: "Administrator" }] }));
    expect(await roleOf(id)).toBe("ADMIN");

    await prisma.user.update({ where: { id: adminUserId }, data: { active: false } });
    const demote = await send(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "Replace", path: "roles", value: [{ value: "User" }] }),
    );
    expect(demote.status).toBe(204);
    expect(demote.detail).toMatch(/last@contoso\.com stays Administrator.*last active Administrator/);
    expect(await roleOf(id)).toBe("ADMIN");
    // The roles Entra sent are stored all the same.
    expect(((await send("GET", `/Users/${id}`)).body as Body).roles).toEqual([{ value: "User" }]);
    const last = (await roleAudits(teamId, id)).at(-1);
    expect(last).toMatchObject({
      outcome: "failure",
      details: { member: "last@contoso.com", oldRole: "ADMIN", newRole: "USER", reason: "last active Administrator" },
    });

    // Once another Administrator is active again, the next PATCH demotes.
    await prisma.user.update({ where: { id: adminUserId }, data: { active: true } });
    const retried = await send("PATCH", `/Users/${id}`, patch({ op: "replace", path: "displayName", value: "Last" }));
    expect(retried.detail).toBeUndefined();
    expect(await roleOf(id)).toBe("USER");
  });
});
