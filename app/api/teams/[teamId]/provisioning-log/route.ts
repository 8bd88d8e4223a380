import { requireTeamRole } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { consoleApi } from "@/lib/http/console-api";
import { listScimRequestLog } from "@/lib/provisioning/list-request-log";

type Context = { params: Promise<{ teamId: string }> };

export const GET = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  await requireTeamRole(teamId, "ADMIN");
  const beforeParam = new URL(request.url).searchParams.get("before");
  const before = beforeParam ? new Date(beforeParam) : undefined;
  if (before && Number.isNaN(before.getTime())) throw new AppError("validation", "before must be an ISO date-time.", { before: "Use an ISO 8601 date-time." });
  return Response.json({ entries: await listScimRequestLog(teamId, { before }) });
});
