/**
 * The HTTP side of the provisioning emulator: sends requests the way Microsoft Entra ID's
 * provisioning service does (Bearer token, application/scim+json, a bounded number in flight,
 * a pause on 429 for the Retry-After period), times them, and keeps each failure with its request
 * and response, secrets redacted. It talks HTTP only, so it can test any SCIM endpoint.
 */
export type Dialect = "default" | "aadOptscim062020";

export type RecordedRequest = { method: string; url: string; headers: Record<string, string>; body?: unknown };
export type RecordedResponse = { status: number; headers: Record<string, string>; body?: unknown };
export type Failure = {
  operation: string;
  object: string;
  reason: string;
  request: RecordedRequest;
  response?: RecordedResponse;
};
export type ScimResponse = { status: number; headers: Headers; body: unknown; text: string };
export type Check = (response: ScimResponse) => string | null;

export const SCIM_JSON = "application/scim+json";
const MAX_BODY_CHARS = 4096;
const REQUEST_TIMEOUT_MS = 60_000; // Entra gives up on a request after about 60 s.
const MAX_RETRY_AFTER_S = 120;

export type ClientOptions = {
  tenantUrl: string;
  token: string;
  concurrency: number;
  maxRetries?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
};

export class ScimClient {
  readonly base: string;
  readonly latencies: number[] = [];
  readonly failures: Failure[] = [];
  readonly counts: Record<string, { ok: number; failed: number }> = {};
  requests = 0;
  throttled = 0;
  private pausedUntil = 0;
  private inFlight = 0;
  private waiting: (() => void)[] = [];
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ClientOptions) {
    // Feature flags such as ?aadOptscim062020 configure Entra; they are not part of the request URLs.
    const url = new URL(options.tenantUrl);
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  redact(text: string): string {
    let out = text.replace(/sgp_[0-9A-Za-z]+/g, "sgp_[REDACTED]");
    if (this.options.token.length >= 8) out = out.split(this.options.token).join("[REDACTED]");
    return out;
  }

  private redactValue(value: unknown): unknown {
    if (value === undefined) return undefined;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const redacted = this.redact(text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}…` : text);
    try {
      return JSON.parse(redacted);
    } catch {
      return redacted;
    }
  }

  private async acquire() {
    if (this.inFlight >= this.options.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
  }

  private release() {
    this.inFlight--;
    this.waiting.shift()?.();
  }

  /** One request, verified by `check`; returns the response when it passed, null when it was recorded as a failure. */
  async send(
    operation: string,
    object: string,
    method: string,
    path: string,
    body: unknown,
    check: Check,
  ): Promise<ScimResponse | null> {
    const url = `${this.base}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: SCIM_JSON };
    if (body !== undefined) headers["content-type"] = `${SCIM_JSON}; charset=utf-8`;
    const recorded = (): RecordedRequest => ({
      method,
      url: this.redact(url),
      headers: { ...headers, authorization: "Bearer [REDACTED]" },
      body: this.redactValue(body),
    });
    const count = (this.counts[operation] ??= { ok: 0, failed: 0 });
    const fail = (reason: string, response?: ScimResponse) => {
      count.failed++;
      this.failures.push({
        operation,
        object: this.redact(object),
        reason: this.redact(reason),
        request: recorded(),
        response: response && {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: this.redactValue(response.text || undefined),
        },
      });
      return null;
    };
    for (let attempt = 0; ; attempt++) {
      // A 429 pauses the whole client, including requests that were already queued for a slot.
      for (let waited = false; ; waited = true) {
        await this.acquire();
        const pause = this.pausedUntil - Date.now();
        if (pause <= 0 || waited) break;
        this.release();
        await this.sleep(pause);
      }
      let response: ScimResponse;
      const started = performance.now();
      try {
        const res = await this.fetchImpl(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        response = { status: res.status, headers: res.headers, body: parsed, text };
      } catch (error) {
        this.requests++;
        this.release();
        return fail(`No response: ${(error as Error).message}`);
      }
      this.latencies.push(performance.now() - started);
      this.requests++;
      this.release();
      if (response.status === 429 && attempt < (this.options.maxRetries ?? 5)) {
        // Entra pauses this client for the Retry-After period and retries only the throttled request.
        this.throttled++;
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs(response.headers.get("retry-after")));
        continue;
      }
      if (response.text && !/json/i.test(response.headers.get("content-type") ?? ""))
        return fail(
          `Response body is not JSON (Content-Type "${response.headers.get("content-type") ?? ""}")`,
          response,
        );
      if (response.text && response.body === undefined) return fail("Response body is not valid JSON", response);
      const problem = check(response);
      if (problem) return fail(problem, response);
      count.ok++;
      return response;
    }
  }
}

function retryAfterMs(header: string | null): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_S) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.min(Math.max(date - Date.now(), 0), MAX_RETRY_AFTER_S * 1000);
}

const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export const checks = {
  /** RFC 7644 §3.4.2: a query always answers 200 with a ListResponse; Entra quarantines on a 404 here. */
  list(expectedMax?: number, expectedMin = 0): Check {
    return (r) => {
      if (r.status !== 200) return `Expected 200 with a ListResponse, got ${r.status}`;
      const body = r.body;
      if (!isObject(body) || !Array.isArray(body.schemas) || !body.schemas.includes(LIST_RESPONSE))
        return "Expected a ListResponse (schemas must list the ListResponse URN)";
      if (typeof body.totalResults !== "number") return "ListResponse totalResults must be a JSON number";
      const resources = (body.Resources ?? []) as unknown[];
      if (!Array.isArray(resources)) return "ListResponse Resources must be an array";
      if (body.totalResults > 0 && resources.length === 0) return "totalResults is above 0 but Resources is empty";
      if (resources.some((res) => !isObject(res) || typeof res.id !== "string" || !res.id))
        return "Every resource in Resources must carry a string id";
      if (expectedMax !== undefined && body.totalResults > expectedMax)
        return `Expected at most ${expectedMax} match(es), got ${body.totalResults}`;
      if (body.totalResults < expectedMin)
        return `Expected at least ${expectedMin} match(es), got ${body.totalResults}`;
      return null;
    };
  },
  /** A create must answer 201 with the resource and its server id, which Entra keeps for every later call. */
  created(expect: Json): Check {
    return (r) => {
      if (r.status !== 201) return `Expected 201 Created, got ${r.status}`;
      if (!isObject(r.body) || typeof r.body.id !== "string" || !r.body.id)
        return "201 without a string id: Entra cannot link the object";
      for (const [key, value] of Object.entries(expect))
        if (r.body[key] !== value)
          return `Expected ${key} ${JSON.stringify(value)} echoed, got ${JSON.stringify(r.body[key])}`;
      return resourceShape(r.body);
    };
  },
  /** User PATCH: 200 with the resource or 204 (Microsoft: the whole resource is not needed). */
  patched: ((r) =>
    r.status === 204 || r.status === 200
      ? isObject(r.body)
        ? resourceShape(r.body)
        : null
      : `Expected 200 or 204, got ${r.status}`) as Check,
  /** Group PATCH: 204 (200 tolerated). */
  groupPatched: ((r) => (r.status === 204 || r.status === 200 ? null : `Expected 204, got ${r.status}`)) as Check,
  deleted: ((r) => (r.status === 204 ? null : `Expected 204 No Content, got ${r.status}`)) as Check,
  resource(expect: Json = {}): Check {
    return (r) => {
      if (r.status !== 200) return `Expected 200, got ${r.status}`;
      if (!isObject(r.body) || typeof r.body.id !== "string") return "Expected the resource with its id";
      for (const [key, value] of Object.entries(expect))
        if (r.body[key] !== value)
          return `Expected ${key} ${JSON.stringify(value)}, got ${JSON.stringify(r.body[key])}`;
      return resourceShape(r.body);
    };
  },
  notFound: ((r) => (r.status === 404 ? null : `Expected 404 for a deleted object, got ${r.status}`)) as Check,
};

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** What Entra fails to deserialise ("SystemForCrossDomainIdentityManagementServiceIncompatible"). */
function resourceShape(body: Json): string | null {
  const enterprise = body[ENTERPRISE];
  if (
    isObject(enterprise) &&
    enterprise.manager !== undefined &&
    enterprise.manager !== null &&
    !isObject(enterprise.manager)
  )
    return "manager must be returned as a complex object {value}, not a bare value";
  if (body.active !== undefined && typeof body.active !== "boolean") return "active must be returned as a JSON boolean";
  return null;
}
