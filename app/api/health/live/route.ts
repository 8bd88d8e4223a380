export const dynamic = "force-dynamic";

/**
 * Liveness: the process serves requests. It touches no database (readiness is /api/health), so a
 * load balancer can tell "restart me" from "my database is down", and the benchmark uses it as the
 * framework's ceiling: no SCIM request can be faster than this route.
 */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
