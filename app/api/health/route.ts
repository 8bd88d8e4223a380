import { getStore } from "@/lib/db";
import { getRequestLogStats } from "@/lib/provisioning/request-log";

export const dynamic = "force-dynamic";

/**
 * Readiness: answers 200 once the database is open and migrated (liveness alone: /api/health/live).
 * `provisioningLog` counts this process's provisioning log writes; a non-zero `dropped` means
 * entries were lost.
 */
export async function GET() {
  try {
    const store = await getStore();
    await store.prisma.$queryRaw`SELECT 1`;
    return Response.json({
      status: "ok",
      store: store.kind === "postgres" ? "postgresql" : "embedded",
      provisioningLog: getRequestLogStats(),
    });
  } catch (error) {
    console.error("[health] database unavailable", error);
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
