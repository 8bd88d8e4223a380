import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi } from "@/lib/http/console-api";
import { deactivateSso, getSsoStatus } from "@/lib/sso/sso-connection";

type Context = { params: Promise<{ teamId: string }> };

export const GET = consoleApi<Context>(async (_request, { params }) => {
  const { teamId } = await params;
  await requireTeamRole(teamId, "ADMIN");
  return Response.json({ sso: await getSsoStatus(teamId) });
});

/** Deactivation: SSO sign-in ends and SCIM tokens stop working until activated again. */
export const DELETE = consoleApi<Context>(async (_request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  await deactivateSso(actor);
  return new Response(null, { status: 204 });
});
