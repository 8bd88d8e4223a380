import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi, readJson } from "@/lib/http/console-api";
import { issueScimToken, listScimTokens } from "@/lib/scim-tokens/scim-tokens";

type Context = { params: Promise<{ teamId: string }> };

export const GET = consoleApi<Context>(async (_request, { params }) => {
  const { teamId } = await params;
  await requireTeamRole(teamId, "ADMIN");
  return Response.json({ tokens: await listScimTokens(teamId) });
});

export const POST = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  // The secret is in this one response only; never cache it.
  return Response.json(await issueScimToken(actor, await readJson(request)), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
