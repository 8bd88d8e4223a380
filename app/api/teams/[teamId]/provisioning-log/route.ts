import { requireTeamRole } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { consoleApi } from "@/lib/http/console-api";
import { decodeCursor, listScimRequestLog, parseLogFilter, requestLogCsv } from "@/lib/provisioning/list-request-log";

type Context = { params: Promise<{ teamId: string }> };

/**
 * The provisioning log under the filter in the query (outcome, operation, target, range), newest
 * first. JSON pages follow `cursor`; `format=csv` exports every entry under the filter.
 */
export const GET = consoleApi<Context>(async (request, { params }) => {
  const { teamId } = await params;
  await requireTeamRole(teamId, "ADMIN");
  const search = new URL(request.url).searchParams;
  const filter = parseLogFilter(search);
  if (search.get("format") === "csv") {
    const encoder = new TextEncoder();
    const rows = requestLogCsv(teamId, filter);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await rows.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="provisioning-log.csv"',
        "Cache-Control": "no-store",
      },
    });
  }
  const cursorParam = search.get("cursor");
  const cursor = cursorParam ? decodeCursor(cursorParam) : null;
  if (cursorParam && !cursor)
    throw new AppError("validation", "cursor is not one this log returned.", {
      cursor: "Use nextCursor from the previous page.",
    });
  const { entries, nextCursor } = await listScimRequestLog(teamId, { filter, cursor });
  return Response.json({ entries, nextCursor }, { headers: { "Cache-Control": "no-store" } });
});
