// Helpers for the stand-in's own tests: a tiny cookie-keeping HTTPS "browser" that trusts the
// stand-in's self-signed certificate, and readers for its HTML forms. There is no undici in
// node_modules and Node's global fetch cannot take a CA per call, so this speaks node:https.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { Agent, request as httpsRequest } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { base64url } from "jose";

export type HttpResult = { status: number; headers: IncomingHttpHeaders; body: string };

export type RequestOptions = {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>;
  body?: string;
};

export function certDirForTests(): string {
  return mkdtempSync(path.join(tmpdir(), "entra-stand-in-"));
}

export class TestBrowser {
  private readonly agent: Agent;
  readonly cookies = new Map<string, string>();

  constructor(caCertPath: string) {
    this.agent = new Agent({ ca: readFileSync(caCertPath), keepAlive: false });
  }

  async request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.form) {
      body = new URLSearchParams(
        Object.entries(options.form).filter((e): e is [string, string] => e[1] !== undefined),
      ).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    const result = await rawRequest(
      this.agent,
      url,
      options.method ?? (body === undefined ? "GET" : "POST"),
      headers,
      body,
    );
    for (const line of result.headers["set-cookie"] ?? []) {
      const [pair = "", ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (attributes.some((a) => a.trim().toLowerCase() === "max-age=0") || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return result;
  }

  get(url: string): Promise<HttpResult> {
    return this.request(url);
  }

  post(
    url: string,
    form: Record<string, string | undefined>,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    return this.request(url, { method: "POST", form, headers });
  }

  /** Fetch-compatible function for libraries (oauth4webapi) that take a custom fetch. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : input.toString();
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((value, name) => {
      headers[name] = value;
    });
    let body: string | undefined;
    if (init?.body instanceof URLSearchParams) {
      body = init.body.toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded;charset=UTF-8";
    } else if (typeof init?.body === "string") body = init.body;
    else if (init?.body != null) throw new Error("TestBrowser.fetch supports string and URLSearchParams bodies only");
    const result = await rawRequest(this.agent, url, init?.method ?? "GET", headers, body);
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(result.headers)) {
      if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(name, v));
      else if (value !== undefined) responseHeaders.set(name, value);
    }
    return new Response(result.status === 204 || result.status === 302 ? null : result.body, {
      status: result.status,
      headers: responseHeaders,
    });
  };
}

function rawRequest(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

export type HtmlForm = { action: string; fields: Record<string, string> };

const decodeEntities = (value: string) =>
  value
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/** The n-th POST form of a stand-in page with its hidden fields. */
export function readForm(page: string, index = 0): HtmlForm {
  const forms = [...page.matchAll(/<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/g)];
  const form = forms[index];
  if (!form) throw new Error(`no form #${index} in page:\n${page}`);
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? "").matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decodeEntities(input[1] ?? "")] = decodeEntities(input[2] ?? "");
  }
  return { action: decodeEntities(form[1] ?? ""), fields };
}

export function readLink(page: string, text: string): string {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`<a href="([^"]*)">${escaped}</a>`).exec(page);
  if (!match?.[1]) throw new Error(`no link "${text}" in page:\n${page}`);
  return decodeEntities(match[1]);
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: base64url.encode(createHash("sha256").update(verifier).digest()) };
}

export function location(result: HttpResult): URL {
  const value = result.headers.location;
  if (result.status !== 302 || !value) throw new Error(`expected a redirect, got ${result.status}:\n${result.body}`);
  return new URL(value);
}

export const CLIENT_ID = "storegate-console";
export const CLIENT_SECRET = "storegate-console-dev-secret";
export const REDIRECT_URI = "http://localhost:3000/api/auth/callback/microsoft-entra-id";
export const PASSWORD = "Passw0rd!";

export const CONTOSO = "361de6c0-ad37-4fa8-be14-db3f7c631ea1";
export const FABRIKAM = "1bfcffd0-765f-4fda-a416-52b6b62864a4";
export const NORTHWIND = "ea5805cc-f499-4094-94c1-ccbec89f53c8";

export function authorizeUrl(baseUrl: string, params: Record<string, string | undefined>, segment = "common"): string {
  const url = new URL(`${baseUrl}/${segment}/oauth2/v2.0/authorize`);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

/** The parameters next-auth's microsoft-entra-id provider sends, plus state and nonce. */
export function standardParams(challenge: string, extra: Record<string, string | undefined> = {}) {
  return {
    client_id: CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: "openid profile email User.Read",
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "state-" + randomBytes(6).toString("hex"),
    nonce: "nonce-" + randomBytes(6).toString("hex"),
    ...extra,
  };
}

/** Fills the sign-in form on `page` and returns the stand-in's answer. */
export async function submitSignIn(
  browser: TestBrowser,
  baseUrl: string,
  page: HttpResult,
  username: string,
  password = PASSWORD,
) {
  const form = readForm(page.body);
  return browser.post(baseUrl + form.action, { ...form.fields, login: username, passwd: password });
}

/** Answers the consent page: "accept" or "cancel", optionally ticking the organisation box. */
export async function submitConsent(
  browser: TestBrowser,
  baseUrl: string,
  page: HttpResult,
  action: "accept" | "cancel",
  forOrganization = false,
) {
  const form = readForm(page.body);
  return browser.post(baseUrl + form.action, {
    ...form.fields,
    action,
    consent_for_org: forOrganization ? "true" : undefined,
  });
}

export type TokenRequest = {
  code: string;
  verifier?: string;
  redirectUri?: string;
  clientId?: string;
  secret?: string;
  auth?: "basic" | "post";
  segment?: string;
};

export async function redeemCode(browser: TestBrowser, baseUrl: string, request: TokenRequest) {
  const clientId = request.clientId ?? CLIENT_ID;
  const secret = request.secret ?? CLIENT_SECRET;
  const form: Record<string, string | undefined> = {
    grant_type: "authorization_code",
    code: request.code,
    redirect_uri: request.redirectUri ?? REDIRECT_URI,
    code_verifier: request.verifier,
  };
  const headers: Record<string, string> = {};
  if (request.auth === "basic") {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
  } else {
    form.client_id = clientId;
    form.client_secret = secret;
  }
  const result = await browser.post(`${baseUrl}/${request.segment ?? "common"}/oauth2/v2.0/token`, form, headers);
  return { status: result.status, headers: result.headers, json: JSON.parse(result.body) as Record<string, unknown> };
}
