import { getStore } from "../db";
import { scimStoreOf } from "../db/scim-store";
import { getEnv } from "../env";
import { handleScimRequest, InvalidJsonBody, SCIM_CONTENT_TYPE } from "../scim/dispatch";
import { toScimErrorBody, ScimError } from "../scim/errors";
import { redactPathForLog, redactTokens } from "../provisioning/redact";
import { getRequestLogger, type RequestLogger } from "../provisioning/request-log";
import { authenticateScimToken } from "../scim-tokens/authenticate-scim-token";
import { resolveClientAddress } from "./client-address";
import { describeInvalidJson } from "./json-syntax-error";

// Documented in the ServiceProviderConfig-adjacent README section: bodies above this are refused.
export const MAX_SCIM_BODY_BYTES = 1024 * 1024;

export const SCIM_BASE_PATH = "/api/scim/v2";

function scimError(status: number, detail: string, scimType?: string, headers: Record<string, string> = {}): Response {
  const error = new ScimError(status, detail, scimType as never);
  return new Response(JSON.stringify(toScimErrorBody(error)), {
    status,
    headers: { "Content-Type": SCIM_CONTENT_TYPE, ...headers },
  });
}

// Failed authentications are throttled per client address. Without trusted proxies the address
// is unknown and every direct client shares one bucket; a valid token is answered before the
// throttle is consulted, so that bucket can never slow a tenant whose token works.
const SHARED_CLIENT_BUCKET = "unknown-client";

/** The body's first `limit` bytes at most: an upload with no Content-Length is not read to its end. */
async function readAtMost(request: Request, limit: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= limit) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

async function readBody(request: Request): Promise<unknown> {
  if (request.method === "GET" || request.method === "DELETE" || request.method === "HEAD") return undefined;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_SCIM_BODY_BYTES)
    return scimError(413, `Request bodies are limited to ${MAX_SCIM_BODY_BYTES} bytes.`);
  const bytes = await readAtMost(request, MAX_SCIM_BODY_BYTES + 1);
  if (bytes.length > MAX_SCIM_BODY_BYTES)
    return scimError(413, `Request bodies are limited to ${MAX_SCIM_BODY_BYTES} bytes.`);
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // V8's message quotes the input, which may be a secret pasted into the wrong place.
    return new InvalidJsonBody(describeInvalidJson(text));
  }
}

function errorFields(body: unknown): { scimType: string | null; detail: string | null } {
  if (!body || typeof body !== "object") return { scimType: null, detail: null };
  const { scimType, detail } = body as { scimType?: unknown; detail?: unknown };
  return {
    scimType: typeof scimType === "string" ? scimType : null,
    detail: typeof detail === "string" ? redactTokens(detail) : null,
  };
}

/**
 * HTTP <-> the framework-free SCIM core: authentication, body limits and the provisioning log;
 * no protocol decisions here. Every request that can be attributed to a team is logged.
 */
export async function serveScim(
  request: Request,
  { logger = getRequestLogger() }: { logger?: RequestLogger } = {},
): Promise<Response> {
  const started = performance.now();
  const url = new URL(request.url);
  const path = url.pathname.slice(url.pathname.indexOf(SCIM_BASE_PATH) + SCIM_BASE_PATH.length) || "/";
  const log = (
    teamId: string | undefined,
    tokenId: string | undefined,
    operation: string,
    status: number,
    requestBody: unknown,
    responseBody: unknown,
    targetId?: string,
    note?: string,
  ) => {
    if (!teamId) return;
    logger.record({
      teamId,
      tokenId: tokenId ?? null,
      at: new Date(),
      method: request.method,
      path: redactPathForLog(`${path}${url.search}`),
      operation,
      targetId: targetId === undefined ? null : redactTokens(targetId),
      status,
      ...(status >= 400 ? errorFields(responseBody) : { scimType: null, detail: note ?? null }),
      durationMs: Math.round(performance.now() - started),
      requestBody: requestBody instanceof InvalidJsonBody ? { invalidJson: requestBody.detail } : requestBody,
      responseBody,
    });
  };

  const auth = await authenticateScimToken(
    request.headers.get("authorization"),
    resolveClientAddress(request.headers) ?? SHARED_CLIENT_BUCKET,
  );
  if (!auth.ok) {
    const response =
      auth.status === 429
        ? scimError(429, auth.detail, undefined, { "Retry-After": String(auth.retryAfterSeconds) })
        : scimError(401, auth.detail, undefined, { "WWW-Authenticate": 'Bearer realm="Storegate SCIM"' });
    if ("teamId" in auth)
      log(auth.teamId, auth.tokenId, "Authenticate", auth.status, undefined, { detail: auth.detail });
    return response;
  }
  const body = await readBody(request);
  if (body instanceof Response) {
    log(auth.teamId, auth.tokenId, "Reject request", body.status, undefined, await body.clone().json());
    return body;
  }
  const result = await handleScimRequest(
    {
      method: request.method,
      path,
      query: url.searchParams,
      body,
      baseUrl: `${getEnv().appUrl}${SCIM_BASE_PATH}`,
      teamId: auth.teamId,
      ifMatch: request.headers.get("if-match"),
      ifNoneMatch: request.headers.get("if-none-match"),
    },
    scimStoreOf(await getStore()),
  );
  if (result.cause) console.error("[scim] unexpected error", result.cause);
  log(auth.teamId, auth.tokenId, result.operation, result.status, body, result.body, result.targetId, result.detail);
  return new Response(result.body === undefined ? null : JSON.stringify(result.body), {
    status: result.status,
    headers: result.headers,
  });
}
