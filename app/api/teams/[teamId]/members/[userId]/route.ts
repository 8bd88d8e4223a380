import { z } from "zod";
import { requireTeamRole } from "@/lib/auth/guards";
import { consoleApi, readJson } from "@/lib/http/console-api";
import { setMemberActive } from "@/lib/members/set-member-active";
import { parseInput } from "@/lib/validation";

type Context = { params: Promise<{ teamId: string; userId: string }> };

const patchMemberSchema = z.object({ active: z.boolean({ error: "active must be true or false." }) });

export const PATCH = consoleApi<Context>(async (request, { params }) => {
  const { teamId, userId } = await params;
  const actor = await requireTeamRole(teamId, "ADMIN");
  const { active } = parseInput(patchMemberSchema, await readJson(request));
  await setMemberActive(actor, userId, active);
  return new Response(null, { status: 204 });
});
