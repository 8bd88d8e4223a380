import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi, readJson } from "@/lib/http/console-api";
import { addMember } from "@/lib/members/add-member";
import { listMembers, parseMemberQuery } from "@/lib/members/list-members";

type Context = { params: Promise<{ teamId: string }> };

export const GET = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  await requireTeamRole(teamId, "ADMIN");
  return Response.json(await listMembers(teamId, parseMemberQuery(new URL(request.url).searchParams)));
});

export const POST = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  return Response.json(await addMember(actor, await readJson(request)), { status: 201 });
});
