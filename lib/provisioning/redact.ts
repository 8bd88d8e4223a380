// Provisioning log bodies: secrets removed, size capped, so the log can be shown to admins and
// kept without becoming a second copy of anything sensitive.
export const MAX_LOGGED_BODY_CHARS = 8 * 1024;
const SECRET_KEY = /pass(word)?|secret|token|authorization|credential/i;
export const REDACTED = "[redacted]";

// Anything that starts like a provisioning token, including mistyped or truncated ones (a token
// with a bad checksum is still mostly secret) and a percent-encoded underscore in a URL.
const TOKEN_LIKE = /sgp(?:_|%5f)[0-9a-z]*/gi;
const REDACTED_TOKEN = "sgp_[redacted]";

/** Replaces every provisioning-token-like substring of free text (paths, ids, error details). */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_LIKE, REDACTED_TOKEN);
}

/**
 * A request path with its query string, ready to log: tokens removed anywhere, and the value of
 * every secret-looking query parameter (`access_token`, `token`, `password`, … in any case)
 * replaced. The rest of the query keeps its original encoding so the entry still reads as sent.
 */
export function redactPathForLog(pathWithQuery: string): string {
  const queryStart = pathWithQuery.indexOf("?");
  if (queryStart === -1) return redactTokens(pathWithQuery);
  const pathname = pathWithQuery.slice(0, queryStart);
  const query = pathWithQuery
    .slice(queryStart + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq === -1) return pair;
      return SECRET_KEY.test(decodeLenient(pair.slice(0, eq))) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join("&");
  return redactTokens(`${pathname}?${query}`);
}

function decodeLenient(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, " "));
  } catch {
    return component;
  }
}

function redactValue(value: unknown, depth: number): unknown {
  if (depth > 12) return "[nested too deep]";
  if (typeof value === "string") return redactTokens(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value))
      out[redactTokens(key)] = SECRET_KEY.test(key) ? REDACTED : redactValue(v, depth + 1);
    return out;
  }
  // A path-less PATCH may carry a password as { op, path: "password", value }: handled by the caller.
  return value;
}

/** PATCH operations name their target in `path`, not a key: redact the value of secret paths too. */
function redactPatchOps(value: unknown): unknown {
  if (!value || typeof value !== "object" || !Array.isArray((value as { Operations?: unknown }).Operations))
    return value;
  const body = value as { Operations: unknown[] };
  return {
    ...body,
    Operations: body.Operations.map((op) =>
      op &&
      typeof op === "object" &&
      typeof (op as { path?: unknown }).path === "string" &&
      SECRET_KEY.test((op as { path: string }).path)
        ? { ...op, value: REDACTED }
        : op,
    ),
  };
}

export function redactForLog(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  const clean = redactValue(redactPatchOps(body), 0);
  const text = JSON.stringify(clean);
  if (text === undefined) return null;
  return text.length <= MAX_LOGGED_BODY_CHARS
    ? clean
    : { truncated: true, originalChars: text.length, preview: text.slice(0, MAX_LOGGED_BODY_CHARS) };
}
