import type { IncomingMessage, ServerResponse } from "node:http";
import { toScimErrorBody, ScimError } from "../scim/errors";
import { SCIM_CONTENT_TYPE } from "../scim/dispatch";
import { MAX_SCIM_BODY_BYTES, SCIM_BASE_PATH, serveScim } from "./scim-route";
import { apiSecurityHeaders } from "./security-headers";

/*
 * SCIM straight from Node's HTTP server, without Next.js's request pipeline.
 *
 * Measured on the production build: the same SCIM lookup served from Node's HTTP server ran about
 * four times as fast as through Next.js, whose own work per request (routing, proxy.ts, the route
 * handler's wrappers) cost more than the lookup and its query together; a Next route that does
 * nothing topped out near 400-600 requests a second on two cores. The console's server
 * (scripts/serve.mjs) therefore hands the requests Entra's provisioning service sends to this
 * adapter, and everything else (pages, console API, sign-in) to Next. The adapter calls the same
 * `serveScim` as the App Router route (app/api/scim/v2), which stays for `next dev` and for
 * the requests this path leaves to Next.
 *
 * Only requests whose answer cannot differ from Next's take this path: one of the five SCIM
 * methods, and a path under the Tenant URL that Next would neither redirect (trailing or doubled
 * slash, dot segments) nor refuse in proxy.ts (malformed percent-encoding). HEAD, OPTIONS and the
 * rest go to Next as before. Responses carry the same security headers proxy.ts gives every API
 * response. One difference remains: Next compresses responses for clients that accept gzip, this
 * path does not (Entra's requests read one resource or a filter's few matches).
 *
 * The adapter reaches the server through ./server-hooks.ts.
 */

const OVERSIZED_DRAIN_MS = 5_000;

const FAST_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);

/** Whether the request is answered here rather than by Next (see above). */
export function takesScimFastPath(method: string | undefined, url: string | undefined): boolean {
  if (!method || !url || !FAST_METHODS.has(method)) return false;
  const query = url.indexOf("?");
  const pathname = query === -1 ? url : url.slice(0, query);
  if (pathname !== SCIM_BASE_PATH && !pathname.startsWith(`${SCIM_BASE_PATH}/`)) return false;
  if (pathname.includes("#") || pathname.includes("\\")) return false;
  const segments = pathname.slice(SCIM_BASE_PATH.length).split("/").slice(1);
  for (const segment of segments) {
    if (segment === "") return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    if (decoded === "." || decoded === "..") return false;
  }
  return true;
}

/**
 * The request body, or as much of it as decides that it is too large: at most one byte past the
 * limit is ever held, so an endless upload costs no memory. Undefined when there is no body.
 */
function readCappedBody(request: IncomingMessage): Promise<{ body?: Buffer; truncated: boolean }> {
  if (request.method === "GET" || request.method === "DELETE") return Promise.resolve({ truncated: false });
  // A declared size over the limit is refused by serveScim from the header alone.
  if (Number(request.headers["content-length"] ?? "0") > MAX_SCIM_BODY_BYTES)
    return Promise.resolve({ truncated: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      const room = MAX_SCIM_BODY_BYTES + 1 - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size > MAX_SCIM_BODY_BYTES) {
        request.off("data", onData);
        request.pause();
        resolve({ body: Buffer.concat(chunks), truncated: true });
      }
    };
    request.on("data", onData);
    request.once("end", () => resolve({ body: Buffer.concat(chunks), truncated: false }));
    request.once("error", () => reject(new ClientGone()));
    request.once("close", () => request.complete || reject(new ClientGone()));
  });
}

/** The client closed the connection before its body arrived: nobody is left to answer. */
class ClientGone extends Error {}

function toFetchRequest(request: IncomingMessage, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (let i = 0; i < request.rawHeaders.length; i += 2)
    headers.append(request.rawHeaders[i]!, request.rawHeaders[i + 1]!);
  // As Next's server does: with no X-Forwarded-For from the client, the peer address
  // (./client-address.ts decides whether any of it is trusted).
  if (!headers.has("x-forwarded-for") && request.socket.remoteAddress)
    headers.set("x-forwarded-for", request.socket.remoteAddress);
  // The origin is fixed: only the path and query are read, and the Host header is the client's.
  return new Request(new URL(request.url!, "http://localhost"), {
    method: request.method,
    headers,
    body: body && body.length > 0 ? new Uint8Array(body) : undefined,
  });
}

async function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | null,
): Promise<void> {
  const bytes = body === null ? undefined : Buffer.from(body);
  response.writeHead(status, {
    ...apiSecurityHeaders(),
    ...headers,
    ...(bytes ? { "Content-Length": String(bytes.length) } : {}),
  });
  await new Promise<void>((resolve) => response.end(bytes, resolve));
}

/** Answers one SCIM request that `takesScimFastPath` accepted. Never rejects. */
export async function serveScimFromNode(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let oversized = false;
  try {
    const { body, truncated } = await readCappedBody(request);
    oversized = truncated;
    const answer = await serveScim(toFetchRequest(request, body));
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, name) => (headers[name] = value));
    await send(response, answer.status, headers, answer.body ? await answer.text() : null);
  } catch (error) {
    if (error instanceof ClientGone) {
      response.destroy();
      return;
    }
    console.error("[scim] unexpected error", error);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const failure = new ScimError(500, "The request could not be completed. Retry later.");
    await send(response, 500, { "Content-Type": SCIM_CONTENT_TYPE }, JSON.stringify(toScimErrorBody(failure))).catch(
      () => response.destroy(),
    );
  } finally {
    // What is still arriving is discarded, for a few seconds at most: closing the connection while
    // the client still sends would reset it, and the client could lose the answer.
    if (oversized && !request.complete) {
      // Only this request's connection, and only if its body is still arriving: once it has ended
      // the connection may already carry the client's next request.
      const timer = setTimeout(() => request.complete || request.destroy(), OVERSIZED_DRAIN_MS).unref();
      request.once("end", () => clearTimeout(timer));
      request.resume();
    }
  }
}
