import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi, readJson } from "@/lib/http/console-api";
import { getRoleMappingView, saveRoleMapping } from "@/lib/provisioning/role-mapping";

type Context = { params: Promise<{ teamId: string }> };

export const GET = consoleApi<Context>(async (_request, { params }) => {
  const { teamId } = await params;
  await requireTeamRole(teamId, "ADMIN");
  return Response.json(await getRoleMappingView(teamId));
});

export const PUT = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  await saveRoleMapping(actor, await readJson(request));
  return Response.json(await getRoleMappingView(teamId));
});
