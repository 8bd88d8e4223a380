import {
  getLogout,
  getSwitchAccount,
  postConsent,
  postContinue,
  postLogin,
  startAdminConsent,
  startAuthorize,
} from "./authorize";
import { serveJwks, serveOpenIdConfiguration } from "./discovery";
import { errorPage, json, oauthError, type StandInContext, type StandInRequest, type StandInResponse } from "./http";
import { resolveSegment, type TenantSegment } from "./segments";
import { postToken, serveOrganization, serveUserinfo } from "./token";

type Route = {
  method: "GET" | "POST";
  /** Path after `/<tenant segment>`. */
  rest: string;
  /** Interactive routes answer with an HTML page, protocol routes with Entra's JSON error. */
  interactive: boolean;
  handle: (
    ctx: StandInContext,
    segment: TenantSegment,
    request: StandInRequest,
  ) => StandInResponse | Promise<StandInResponse>;
};

const ROUTES: Route[] = [
  {
    method: "GET",
    rest: "/v2.0/.well-known/openid-configuration",
    interactive: false,
    handle: serveOpenIdConfiguration,
  },
  { method: "GET", rest: "/discovery/v2.0/keys", interactive: false, handle: serveJwks },
  { method: "GET", rest: "/oauth2/v2.0/authorize", interactive: true, handle: startAuthorize },
  { method: "POST", rest: "/oauth2/v2.0/token", interactive: false, handle: postToken },
  { method: "GET", rest: "/oauth2/v2.0/logout", interactive: true, handle: (ctx, _s, req) => getLogout(ctx, req) },
  {
    method: "GET",
    rest: "/v2.0/adminconsent",
    interactive: true,
    handle: (ctx, s, req) => startAdminConsent(ctx, s, req, false),
  },
  {
    method: "GET",
    rest: "/adminconsent",
    interactive: true,
    handle: (ctx, s, req) => startAdminConsent(ctx, s, req, true),
  },
  { method: "POST", rest: "/login", interactive: true, handle: (ctx, _s, req) => postLogin(ctx, req) },
  { method: "POST", rest: "/login/continue", interactive: true, handle: (ctx, _s, req) => postContinue(ctx, req) },
  { method: "GET", rest: "/login/switch", interactive: true, handle: (ctx, _s, req) => getSwitchAccount(ctx, req) },
  { method: "POST", rest: "/consent", interactive: true, handle: (ctx, _s, req) => postConsent(ctx, req) },
];

/**
 * The whole stand-in as one function from a plain request to a plain response, so it can be
 * exercised without sockets; `server.ts` only adapts node:https to it.
 */
export async function handleStandInRequest(ctx: StandInContext, request: StandInRequest): Promise<StandInResponse> {
  const path = request.url.pathname;
  if (path === "/oidc/userinfo") {
    if (request.method !== "GET" && request.method !== "POST") return methodNotAllowed("GET, POST");
    return serveUserinfo(ctx, request);
  }
  if (path === "/v1.0/organization") {
    if (request.method !== "GET") return methodNotAllowed("GET");
    return serveOrganization(ctx, request);
  }
  const slash = path.indexOf("/", 1);
  if (slash < 0) return notFound();
  let rawSegment: string;
  try {
    rawSegment = decodeURIComponent(path.slice(1, slash));
  } catch {
    return notFound();
  }
  const rest = path.slice(slash);
  const route = ROUTES.find((r) => r.rest === rest);
  if (!route) return notFound();
  if (request.method !== route.method) return methodNotAllowed(route.method);
  const segment = resolveSegment(rawSegment, (key) => ctx.store.findTenant(key));
  if (!segment) {
    // AADSTS90002 is what Entra answers for an unknown tenant name or id.
    const message = `AADSTS90002: Tenant '${rawSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`;
    return route.interactive ? errorPage(400, message) : oauthError(400, "invalid_tenant", message);
  }
  return route.handle(ctx, segment, request);
}

function notFound(): StandInResponse {
  return json(404, { error: "not_found", error_description: "No such Entra stand-in endpoint." });
}

function methodNotAllowed(allow: string): StandInResponse {
  return json(405, { error: "invalid_request", error_description: `Method not allowed; use ${allow}.` }, { allow });
}
