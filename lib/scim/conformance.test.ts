import { describeEntraConformance } from "./conformance-cases";
import { MemoryStore } from "./memory-store";

describeEntraConformance("the in-memory store", async () => ({ store: new MemoryStore(), teamId: "team-a" }));
