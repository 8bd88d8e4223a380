import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi } from "@/lib/http/console-api";
import { signOutMemberEverywhere } from "@/lib/members/sign-out-member";

type Context = { params: Promise<{ teamId: string; userId: string }> };

/** "Sign out everywhere": ends every session of the member. */
export const POST = consoleApi<Context>(async (_request, { params }) => {
  const { teamId, userId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  return Response.json(await signOutMemberEverywhere(actor, userId));
});
