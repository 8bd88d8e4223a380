import { describeEntraConformance } from "../../test/support/scim-conformance-cases";
import { createTeam } from "../teams/create-team";
import { useFreshStore } from "../../test/support/test-database";
import { getStore } from "./index";
import { scimStoreOf } from "./scim-store";

// The same table of Entra behaviours as lib/scim/conformance.test.ts, on the Prisma store and a
// real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): each test gets its own team.

useFreshStore();

describeEntraConformance(process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite", async () => {
  const suffix = Math.random().toString(36).slice(2, 10);
  const { teamId } = await createTeam({
    teamName: "Contoso",
    adminName: "Ada Admin",
    email: `admin-${suffix}@example.com`,
    password: "Sturdy-Passw0rd",
  });
  return { store: scimStoreOf(await getStore()), teamId };
});
