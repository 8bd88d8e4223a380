import { getStore } from "@/lib/db";

export const dynamic = "force-dynamic";

/** Liveness and readiness: answers 200 once the database is open and migrated. */
export async function GET() {
  try {
    const store = await getStore();
    await store.prisma.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", store: store.kind === "postgres" ? "postgresql" : "embedded" });
  } catch (error) {
    console.error("[health] database unavailable", error);
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
