import type * as Limits from "../scim/limits";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { handleScimRequest } from "../scim/dispatch";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import type { PrismaClient } from "./generated/client";
import { getDb } from "./index";
import { createScimStore } from "./scim-store";

// The member budget of one response, shrunk to 3 so the rule can be exercised without creating
// tens of thousands of rows: the store counts members before it loads any.
vi.mock("../scim/limits", async (importOriginal) => {
  const original = await importOriginal<typeof Limits>();
  return { ...original, SCIM_LIMITS: { ...original.SCIM_LIMITS, membersPerResponse: 3 } };
});

const BASE = "https://console.example.com/api/scim/v2";
let prisma: PrismaClient;
useFreshStore();
beforeAll(async () => {
  prisma = await getDb();
});

describe("responses that would carry too many group members", () => {
  it("answer 400 tooMany with a way out, while excludedAttributes=members and small groups still work", async () => {
    const { teamId } = await createTeam({
      teamName: "Big groups",
      adminName: "Ada",
      email: `admin-${Date.now()}@example.com`,
      password: "Sturdy-Passw0rd",
    });
    const store = createScimStore(prisma);
    const send = (method: string, path: string, body?: unknown) => {
      const [pathname = "", search = ""] = path.split("?");
      return handleScimRequest(
        { method, path: pathname, query: new URLSearchParams(search), body, baseUrl: BASE, teamId },
        store,
      );
    };
    const ids: string[] = [];
    for (const name of ["a", "b", "c", "d"]) {
      const created = await send("POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: `${name}@big.example`,
      });
      ids.push((created.body as { id: string }).id);
    }
    const big = (await send("POST", "/Groups", { displayName: "Big", members: ids.map((value) => ({ value })) }))
      .body as { id: string };
    const small = (await send("POST", "/Groups", { displayName: "Small", members: [{ value: ids[0] }] })).body as {
      id: string;
    };

    for (const path of [`/Groups/${big.id}`, "/Groups", `/Groups?filter=displayName eq "Big"`]) {
      const refused = await send("GET", path);
      expect(refused.status, path).toBe(400);
      expect(refused.body).toMatchObject({
        scimType: "tooMany",
        detail: expect.stringContaining("excludedAttributes=members"),
      });
    }
    expect((await send("GET", `/Groups/${big.id}?excludedAttributes=members`)).status).toBe(200);
    expect((await send("GET", `/Groups?excludedAttributes=members`)).body).toMatchObject({ totalResults: 2 });
    expect((await send("GET", `/Groups/${small.id}`)).body).toMatchObject({ members: [{ value: ids[0] }] });
  });
});
