import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi } from "@/lib/http/console-api";
import { revokeScimToken } from "@/lib/scim-tokens/scim-tokens";

type Context = { params: Promise<{ teamId: string; tokenId: string }> };

export const DELETE = consoleApi<Context>(async (_request, { params }) => {
  const { teamId, tokenId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  await revokeScimToken(actor, tokenId);
  return new Response(null, { status: 204 });
});
