import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi, readJson } from "@/lib/http/console-api";
import { rotateScimToken } from "@/lib/scim-tokens/scim-tokens";

type Context = { params: Promise<{ teamId: string; tokenId: string }> };

export const POST = consoleApi<Context>(async (request, { params }) => {
  const { teamId, tokenId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  return Response.json(await rotateScimToken(actor, tokenId, await readJson(request)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
