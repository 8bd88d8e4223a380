import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi, readJson } from "@/lib/http/console-api";
import { disconnectSsoTenant } from "@/lib/sso/sso-connection";

type Context = { params: Promise<{ teamId: string }> };

/** "Disconnect tenant": body `{ tenantId }`, the tenant the Administrator confirmed in the dialog. */
export const POST = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  const body = (await readJson(request)) as { tenantId?: unknown } | null;
  return Response.json(await disconnectSsoTenant(actor, body?.tenantId));
});
