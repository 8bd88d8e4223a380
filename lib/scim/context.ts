import type { ScimStore } from "./store";
import { trimBaseUrl } from "./payload";

/** RFC 7644 §3.1: the media type of every SCIM body. */
export const SCIM_CONTENT_TYPE = "application/scim+json";

export type ScimRequest = {
  method: string;
  /** The path after the Tenant URL base, e.g. `/Users/1234` (percent-encoded segments are decoded by the router). */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, `undefined` when there was none, or an `InvalidJsonBody`. */
  body: unknown;
  /** The Tenant URL base (`https://host/api/scim/v2`), for `meta.location`, `$ref` and `Location`. */
  baseUrl: string;
  /** From the bearer token, never from the request. */
  teamId: string;
  /** RFC 7644 §3.14 / RFC 9110 §13.1: the `If-Match` and `If-None-Match` request headers, when sent. */
  ifMatch?: string | null;
  ifNoneMatch?: string | null;
};

export type ScimResponse = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** For the provisioning log: "Create user", "Disable user", "Add members", … (see operation-labels.ts). */
  operation: string;
  /** The resource the request was about, when there is one. */
  targetId?: string;
  /** For the provisioning log on a success: something the server decided that the client did not ask for. */
  detail?: string;
  /** An unexpected failure behind a 500, for the route to log (never sent to the client). */
  cause?: unknown;
};

/** One request on its way through the dispatcher: what the log and the error answer need to know so far. */
export type Context = {
  request: ScimRequest;
  store: ScimStore;
  operation: string;
  targetId?: string;
  /** RFC 9110 §15.5.6: a 405 lists the methods the resource supports. */
  allow?: string;
};

const JSON_HEADERS = { "Content-Type": SCIM_CONTENT_TYPE };

export function respond(
  context: Context,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): ScimResponse {
  const response: ScimResponse = { status, operation: context.operation };
  if (body !== undefined) {
    response.body = body;
    response.headers = { ...JSON_HEADERS, ...headers };
  } else if (Object.keys(headers).length > 0) {
    response.headers = headers;
  }
  if (context.targetId !== undefined) response.targetId = context.targetId;
  return response;
}

/** RFC 7644 §3.3: the `Location` of a resource. */
export function location(context: Context, endpoint: "Users" | "Groups", id: string): string {
  return `${trimBaseUrl(context.request.baseUrl)}/${endpoint}/${encodeURIComponent(id)}`;
}
