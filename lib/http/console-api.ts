import { ZodError } from "zod";
import { getEnv } from "../env";
import { AppError, isNotFound, isUniqueViolation } from "../errors";
import { validationError } from "../validation";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses cross-site writes: a browser always sends Origin on a cross-origin POST/PATCH/DELETE,
 * so a state-changing request must come from the console's own origin.
 */
function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  const allowed = new Set([new URL(getEnv().appUrl).origin, new URL(request.url).origin]);
  if (!origin || !allowed.has(origin)) throw new AppError("forbidden", "Cross-site request refused.");
}

export function errorResponse(error: AppError): Response {
  return Response.json(
    { error: { code: error.code, message: error.message, ...(error.fields && { fields: error.fields }) } },
    { status: error.status },
  );
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return validationError(error);
  if (isUniqueViolation(error)) return new AppError("conflict", "That already exists.");
  if (isNotFound(error)) return new AppError("not_found", "Not found.");
  console.error("[console-api] unexpected error", error);
  return new AppError("internal", "Something went wrong on our side. Try again.");
}

/** The one wrapper for console JSON routes: Origin check and the error envelope. */
export function consoleApi<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      assertSameOrigin(request);
      return await handler(request, context);
    } catch (error) {
      return errorResponse(toAppError(error));
    }
  };
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError("validation", "The request body must be JSON.", { body: "Invalid JSON." });
  }
}
