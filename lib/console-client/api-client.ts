// Client side of the console API envelope: { error: { code, message, fields? } }.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: {
      Accept: "application/json",
      ...(init?.body ? { "Content-Type": "application/json" } : {}),
      ...init?.headers,
    },
  });
  if (response.status === 204) return undefined as T;
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = readErrorEnvelope(body);
    throw new ApiError(
      response.status,
      error.code ?? "internal",
      error.message ?? `Request failed (${response.status}).`,
      error.fields,
    );
  }
  return body as T;
}

type ErrorEnvelope = { code?: string; message?: string; fields?: Record<string, string> };

/**
 * The `error` member of a failed answer, keeping only what has the expected type (a proxy's HTML error page has none).
 */
function readErrorEnvelope(body: unknown): ErrorEnvelope {
  const error = typeof body === "object" && body !== null && "error" in body ? body.error : null;
  if (typeof error !== "object" || error === null) return {};
  const { code, message, fields } = error as Record<string, unknown>;
  const envelope: ErrorEnvelope = {};
  if (typeof code === "string") envelope.code = code;
  if (typeof message === "string") envelope.message = message;
  if (typeof fields === "object" && fields !== null) {
    envelope.fields = Object.fromEntries(
      Object.entries(fields).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  return envelope;
}

/** A text field of a submitted form ("" when absent or a file). */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
