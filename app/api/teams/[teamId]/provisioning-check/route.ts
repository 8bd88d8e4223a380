import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi } from "@/lib/http/console-api";
import { runProvisioningCheck } from "@/lib/provisioning/check";

type Context = { params: Promise<{ teamId: string }> };

// A check takes a few seconds: it sends its SCIM requests to this same server over HTTP.
export const maxDuration = 60;

export const POST = consoleApi<Context>(async (_request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  return Response.json(await runProvisioningCheck(actor), { headers: { "Cache-Control": "no-store" } });
});
