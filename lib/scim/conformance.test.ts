import { describeEntraConformance } from "../../test/support/scim-conformance-cases";
import { MemoryStore } from "../../test/support/scim-memory-store";

describeEntraConformance("the in-memory store", async () => ({ store: new MemoryStore(), teamId: "team-a" }));
