import { randomUUID } from "node:crypto";
import { renderErrorPage } from "./pages";
import type { StandInStore } from "./store";

/** A framework-free request: the server adapter builds it, tests may build it by hand. */
export type StandInRequest = {
  method: string;
  url: URL;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string;
};

export type StandInResponse = {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
};

export type StandInContext = {
  store: StandInStore;
  /** `https://localhost:<port>`, the host every issuer and endpoint is built on. */
  baseUrl: string;
};

// Entra's session cookie on login.microsoftonline.com. Here it lives on the stand-in's own origin.
export const SESSION_COOKIE = "ESTSAUTH";

const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): StandInResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string | string[]> = {}): StandInResponse {
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "x-frame-options": "DENY", ...NO_STORE, ...headers },
    body,
  };
}

export function redirect(location: string, headers: Record<string, string | string[]> = {}): StandInResponse {
  return { status: 302, headers: { location, ...NO_STORE, ...headers }, body: "" };
}

export function errorPage(status: number, message: string): StandInResponse {
  return html(status, renderErrorPage(message));
}

/**
 * Entra's JSON error body for protocol endpoints (v2-oauth2-auth-code-flow, "Error response"):
 * `error`, an `error_description` starting with the AADSTS code, and `error_codes`.
 */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): StandInResponse {
  const code = /^AADSTS(\d+)/.exec(description)?.[1];
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return json(
    status,
    {
      error,
      error_description: `${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: code ? [Number(code)] : [],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    },
    { ...NO_STORE, ...headers },
  );
}

export function readCookie(request: StandInRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const index = part.indexOf("=");
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string): string {
  // SameSite=None like ESTSAUTH: a form_post or silent (prompt=none) request arrives cross-site.
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; Secure; SameSite=None`;
}

export function clearSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=None; Max-Age=0`;
}

export function formBody(request: StandInRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

/** Appends parameters to a redirect URI, keeping any query it already has. */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  return url.toString();
}
