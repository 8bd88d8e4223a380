import type { FixtureClient } from "./fixture";
import {
  clearSessionCookie,
  errorPage,
  formBody,
  html,
  readCookie,
  redirect,
  SESSION_COOKIE,
  sessionCookie,
  withQuery,
  type StandInContext,
  type StandInRequest,
  type StandInResponse,
} from "./http";
import {
  renderConsentPage,
  renderFormPost,
  renderNeedAdminApprovalPage,
  renderSelectAccountPage,
  renderSignInPage,
  renderSignedOutPage,
} from "./pages";
import { safeEqual } from "./safe-equal";
import { coversScopes, normalizeScopes, staticPermissions } from "./scopes";
import { refuseAccount, type TenantSegment } from "./segments";
import type { Account, AdminConsentRequest, AuthorizeRequest, Flow, Session } from "./store";

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Exact match against the registered redirect URIs, except that the port of an http loopback
 * URI is ignored (reply-url, "Localhost exceptions"; RFC 8252 §7.3): a test server on any port
 * can use the registered `http://localhost:3000/...` callback. Scheme, host and path stay exact.
 */
export function isRegisteredRedirectUri(client: FixtureClient, candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.hash || candidate.includes("#")) return false;
  return client.redirect_uris.some((registered) => {
    if (registered === candidate) return true;
    const reg = new URL(registered);
    if (url.protocol !== "http:" || reg.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname)) return false;
    return reg.hostname === url.hostname && reg.pathname === url.pathname && reg.search === url.search;
  });
}

/**
 * The client and its redirect URI, checked before anything can be redirected. Until the redirect
 * URI is known to be registered, errors are shown, never redirected: otherwise the endpoint would
 * be an open redirector.
 */
function resolveClientRedirect(
  ctx: StandInContext,
  q: URLSearchParams,
  unknownClientDetail: string,
): { client: FixtureClient; redirectUri: string } | { error: StandInResponse } {
  const clientId = q.get("client_id");
  if (!clientId)
    return {
      error: errorPage(400, "AADSTS900144: The request body must contain the following parameter: 'client_id'."),
    };
  const client = ctx.store.findClient(clientId);
  if (!client)
    return {
      error: errorPage(
        400,
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.${unknownClientDetail}`,
      ),
    };
  const redirectUri = q.get("redirect_uri");
  if (!redirectUri)
    return {
      error: errorPage(400, "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'."),
    };
  if (!isRegisteredRedirectUri(client, redirectUri)) {
    return {
      error: errorPage(
        400,
        `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${client.client_id}'.`,
      ),
    };
  }
  return { client, redirectUri };
}

const PROMPTS = new Set(["login", "none", "consent", "select_account"]);

export function startAuthorize(ctx: StandInContext, segment: TenantSegment, request: StandInRequest): StandInResponse {
  const q = request.url.searchParams;
  const resolved = resolveClientRedirect(
    ctx,
    q,
    " This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.",
  );
  if ("error" in resolved) return resolved.error;
  const { client, redirectUri } = resolved;
  const responseModeParam = q.get("response_mode") ?? "query";
  const responseMode = responseModeParam === "form_post" ? "form_post" : "query";
  const state = q.get("state") ?? undefined;
  const fail = (error: string, description: string) =>
    respond(redirectUri, responseMode, { error, error_description: description, state });

  if (responseModeParam !== "query" && responseModeParam !== "form_post") {
    return fail(
      "invalid_request",
      `The stand-in supports response_mode query and form_post, not '${responseModeParam}'.`,
    );
  }
  const responseType = q.get("response_type");
  if (!responseType)
    return fail(
      "invalid_request",
      "AADSTS900144: The request body must contain the following parameter: 'response_type'.",
    );
  if (responseType !== "code") {
    return fail(
      "unsupported_response_type",
      `AADSTS700054: response_type '${responseType}' is not enabled for the application.`,
    );
  }
  const rawScope = q.get("scope");
  if (!rawScope)
    return fail("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.");
  const scopes = normalizeScopes(rawScope, client);
  if (!scopes.ok) return fail("invalid_scope", scopes.description);
  if (!scopes.scopes.includes("openid")) {
    return fail(
      "invalid_scope",
      "AADSTS70011: The provided value for the input parameter 'scope' is not valid. Sign-in needs the 'openid' scope.",
    );
  }
  // Entra requires PKCE only for SPA redirect URIs (AADSTS9002325); the stand-in requires it of
  // every client because the console must always send it (authorization code flow with PKCE, RFC 7636).
  const codeChallenge = q.get("code_challenge");
  if (!codeChallenge) {
    return fail(
      "invalid_request",
      "AADSTS9002325: Proof Key for Code Exchange is required. The request must contain 'code_challenge'.",
    );
  }
  // Without code_challenge_method Entra assumes "plain", which the stand-in refuses.
  if (q.get("code_challenge_method") !== "S256") {
    return fail("invalid_request", "The stand-in accepts only code_challenge_method=S256.");
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return fail("invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter.");
  }
  const prompt = q.get("prompt") ?? undefined;
  if (prompt !== undefined && !PROMPTS.has(prompt)) {
    return fail("invalid_request", `Invalid prompt value '${prompt}': use login, none, consent or select_account.`);
  }

  const authorize: AuthorizeRequest = {
    kind: "authorize",
    segment,
    client,
    redirectUri,
    responseMode,
    state,
    nonce: q.get("nonce") ?? undefined,
    scopes: scopes.scopes,
    codeChallenge,
    prompt: prompt as AuthorizeRequest["prompt"],
    loginHint: q.get("login_hint") ?? undefined,
  };
  const flow = ctx.store.createFlow(authorize);
  const session = currentSession(ctx, request);
  const hintMismatch = session && authorize.loginHint !== undefined && !sameUsername(ctx, session, authorize.loginHint);

  if (!session || prompt === "login" || hintMismatch) {
    if (prompt === "none") {
      // Silent sign-in with nobody signed in (v2-protocols-oidc, prompt=none).
      return fail("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in.");
    }
    return signInPage(flow, authorize.loginHint);
  }
  if (prompt === "select_account") return selectAccountPage(ctx, flow, session);
  return proceed(ctx, flow, session);
}

export function startAdminConsent(
  ctx: StandInContext,
  segment: TenantSegment,
  request: StandInRequest,
  legacy: boolean,
): StandInResponse {
  const q = request.url.searchParams;
  // Admin consent on the Microsoft identity platform: "{tenant}: ... GUID or friendly name, or organizations. Do not
  // use common."
  if (segment.kind === "consumers" || (!legacy && segment.kind === "common")) {
    return errorPage(
      400,
      `The /${segment.path} endpoint cannot grant admin consent: use /organizations or the tenant's GUID or domain (v2-admin-consent).`,
    );
  }
  const resolved = resolveClientRedirect(ctx, q, "");
  if ("error" in resolved) return resolved.error;
  const { client, redirectUri } = resolved;
  const state = q.get("state") ?? undefined;
  let scopes: string[];
  const rawScope = q.get("scope");
  if (legacy) {
    // The older URL form carries no scope and grants the statically configured permissions (“Admin consent on the
    // Microsoft identity platform”).
    scopes = staticPermissions(client);
  } else {
    if (!rawScope) {
      return redirect(
        withQuery(redirectUri, {
          error: "invalid_request",
          error_description: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
          state,
        }),
      );
    }
    const normalized = normalizeScopes(rawScope, client);
    if (!normalized.ok) {
      return redirect(
        withQuery(redirectUri, { error: "invalid_scope", error_description: normalized.description, state }),
      );
    }
    scopes = normalized.scopes;
  }
  const adminConsent: AdminConsentRequest = { kind: "adminconsent", segment, client, redirectUri, state, scopes };
  const flow = ctx.store.createFlow(adminConsent);
  const session = currentSession(ctx, request);
  return session ? proceed(ctx, flow, session) : signInPage(flow, undefined);
}

export function postLogin(ctx: StandInContext, request: StandInRequest): StandInResponse {
  const form = formBody(request);
  const flow = ctx.store.findFlow(form.get("flow") ?? undefined);
  if (!flow) return expiredFlow();
  const username = (form.get("login") ?? "").trim();
  const password = form.get("passwd") ?? "";
  const account = ctx.store.findAccountByUsername(username);
  // Compare against something even for an unknown user, so timing does not reveal which exist.
  const passwordOk = safeEqual(password, account?.user.password ?? "\u0000no-such-user");
  if (!account) {
    return signInPage(
      flow,
      username,
      `AADSTS50034: We couldn't find an account with that username. The user account '${username}' does not exist in the directory.`,
    );
  }
  if (!passwordOk) return signInPage(flow, username, "AADSTS50126: Your account or password is incorrect.");
  const refusal = refuseAccount(flow.request.segment, account.tenant, account.user.preferred_username);
  if (refusal) return signInPage(flow, username, refusal);
  const session = ctx.store.createSession(account);
  return withCookie(proceed(ctx, flow, session), sessionCookie(session.id));
}

export function postContinue(ctx: StandInContext, request: StandInRequest): StandInResponse {
  const flow = ctx.store.findFlow(formBody(request).get("flow") ?? undefined);
  if (!flow) return expiredFlow();
  const session = currentSession(ctx, request);
  return session ? proceed(ctx, flow, session) : signInPage(flow, undefined);
}

/** "Use another account": forget this browser's session and show the sign-in form again. */
export function getSwitchAccount(ctx: StandInContext, request: StandInRequest): StandInResponse {
  const flow = ctx.store.findFlow(request.url.searchParams.get("flow") ?? undefined);
  const sessionId = readCookie(request, SESSION_COOKIE);
  if (sessionId) ctx.store.sessions.delete(sessionId);
  if (!flow) return withCookie(expiredFlow(), clearSessionCookie());
  flow.sessionId = undefined;
  return withCookie(signInPage(flow, undefined), clearSessionCookie());
}

export function postConsent(ctx: StandInContext, request: StandInRequest): StandInResponse {
  const form = formBody(request);
  const flow = ctx.store.findFlow(form.get("flow") ?? undefined);
  if (!flow) return expiredFlow();
  const session = currentSession(ctx, request);
  // The consent answer must come from the browser that signed in for this flow.
  if (!session || session.id !== flow.sessionId) {
    return errorPage(400, "The sign-in session for this consent is no longer valid. Start the sign-in again.");
  }
  const account = ctx.store.findAccount(session.tid, session.oid);
  if (!account) return expiredFlow();
  const req = flow.request;

  if (form.get("action") !== "accept") {
    ctx.store.flows.delete(flow.id);
    const description = "AADSTS65004: User declined to consent to access the app.";
    if (req.kind === "adminconsent") {
      return redirect(
        withQuery(req.redirectUri, {
          admin_consent: "True",
          error: "access_denied",
          error_description: description,
          state: req.state,
        }),
      );
    }
    return respond(req.redirectUri, req.responseMode, {
      error: "access_denied",
      error_subcode: "cancel",
      error_description: description,
      state: req.state,
    });
  }

  const organizationWide = req.kind === "adminconsent" || form.get("consent_for_org") === "true";
  if (organizationWide && !account.user.isAdmin) {
    // Only an administrator can grant consent for the whole tenant (“Convert an app to multitenant”); a forged checkbox
    // from a non-admin records nothing.
    return needAdminApproval(flow, account, 403, "AADSTS90094: The grant requires admin permission.");
  }
  if (!organizationWide && !account.user.isAdmin && !account.tenant.allowUserConsent) {
    return needAdminApproval(
      flow,
      account,
      403,
      "AADSTS90094: The grant requires admin permission. Your organization does not allow users to consent to apps.",
    );
  }
  if (organizationWide) ctx.store.grantAdminConsent(account.tenant.tid, req.client.client_id, req.scopes);
  else ctx.store.grantUserConsent(account.tenant.tid, account.user.oid, req.client.client_id, req.scopes);

  if (req.kind === "adminconsent") {
    ctx.store.flows.delete(flow.id);
    return redirect(
      withQuery(req.redirectUri, {
        admin_consent: "True",
        tenant: account.tenant.tid,
        state: req.state,
        scope: req.scopes.join(" "),
      }),
    );
  }
  return issueCode(ctx, flow, req, account);
}

/** end_session_endpoint: forget the session and return to a registered address. */
export function getLogout(ctx: StandInContext, request: StandInRequest): StandInResponse {
  const sessionId = readCookie(request, SESSION_COOKIE);
  if (sessionId) ctx.store.sessions.delete(sessionId);
  const target = request.url.searchParams.get("post_logout_redirect_uri");
  const allowed =
    target !== null &&
    ctx.store.fixture.clients.some((c) => isRegisteredRedirectUri(c, target) || sameOrigin(c, target));
  if (target && allowed) {
    return redirect(withQuery(target, { state: request.url.searchParams.get("state") ?? undefined }), {
      "set-cookie": clearSessionCookie(),
    });
  }
  return html(200, renderSignedOutPage(), { "set-cookie": clearSessionCookie() });
}

// ---------------------------------------------------------------------------------------------

function proceed(ctx: StandInContext, flow: Flow, session: Session): StandInResponse {
  const account = ctx.store.findAccount(session.tid, session.oid);
  if (!account) return signInPage(flow, undefined);
  const req = flow.request;
  const refusal = refuseAccount(req.segment, account.tenant, account.user.preferred_username);
  if (refusal) {
    if (req.kind === "authorize" && req.prompt === "none") {
      return respond(req.redirectUri, req.responseMode, {
        error: "login_required",
        error_description: refusal,
        state: req.state,
      });
    }
    return signInPage(flow, undefined, refusal);
  }
  flow.sessionId = session.id;

  if (req.kind === "adminconsent") {
    if (!account.user.isAdmin) {
      return needAdminApproval(flow, account, 200, "AADSTS90094: The grant requires admin permission.");
    }
    return consentPage(flow, account, { organizationWide: true });
  }

  const consented =
    coversScopes(ctx.store.adminConsentedScopes(account.tenant.tid, req.client.client_id), req.scopes) ||
    coversScopes(ctx.store.userConsentedScopes(account.tenant.tid, account.user.oid, req.client.client_id), req.scopes);
  if (consented && req.prompt !== "consent") return issueCode(ctx, flow, req, account);
  if (req.prompt === "none") {
    return respond(req.redirectUri, req.responseMode, {
      error: "consent_required",
      error_description: `AADSTS65001: The user or administrator has not consented to use the application with ID '${req.client.client_id}'. Send an interactive authorization request for this user and resource.`,
      state: req.state,
    });
  }
  if (!account.user.isAdmin && !account.tenant.allowUserConsent) {
    return needAdminApproval(
      flow,
      account,
      200,
      "AADSTS90094: The grant requires admin permission. Your organization does not allow users to consent to apps.",
    );
  }
  return consentPage(flow, account, { organizationWide: false });
}

function issueCode(ctx: StandInContext, flow: Flow, req: AuthorizeRequest, account: Account): StandInResponse {
  ctx.store.flows.delete(flow.id);
  const code = ctx.store.issueCode({
    clientId: req.client.client_id,
    redirectUri: req.redirectUri,
    codeChallenge: req.codeChallenge,
    nonce: req.nonce,
    scopes: req.scopes,
    tid: account.tenant.tid,
    oid: account.user.oid,
  });
  // Entra adds session_state (OIDC Session Management) beside code and state.
  return respond(req.redirectUri, req.responseMode, { code, state: req.state, session_state: flow.sessionId });
}

function respond(
  redirectUri: string,
  mode: "query" | "form_post",
  params: Record<string, string | undefined>,
): StandInResponse {
  if (mode === "form_post") {
    const defined = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
    return html(200, renderFormPost(redirectUri, defined));
  }
  return redirect(withQuery(redirectUri, params));
}

function currentSession(ctx: StandInContext, request: StandInRequest): Session | undefined {
  const id = readCookie(request, SESSION_COOKIE);
  const session = id ? ctx.store.sessions.get(id) : undefined;
  return session && ctx.store.findAccount(session.tid, session.oid) ? session : undefined;
}

function sameUsername(ctx: StandInContext, session: Session, hint: string): boolean {
  const account = ctx.store.findAccount(session.tid, session.oid);
  return account?.user.preferred_username.toLowerCase() === hint.trim().toLowerCase();
}

function sameOrigin(client: FixtureClient, target: string): boolean {
  try {
    const origin = new URL(target).origin;
    return client.redirect_uris.some((uri) => new URL(uri).origin === origin);
  } catch {
    return false;
  }
}

function paths(flow: Flow) {
  const base = `/${flow.request.segment.path}`;
  return {
    login: `${base}/login`,
    continue: `${base}/login/continue`,
    switch: `${base}/login/switch?flow=${encodeURIComponent(flow.id)}`,
    consent: `${base}/consent`,
  };
}

function signInPage(flow: Flow, loginHint: string | undefined, error?: string): StandInResponse {
  return html(
    200,
    renderSignInPage({
      action: paths(flow).login,
      flowId: flow.id,
      appName: flow.request.client.display_name,
      loginHint: loginHint ?? (flow.request.kind === "authorize" ? flow.request.loginHint : undefined),
      error,
    }),
  );
}

function selectAccountPage(ctx: StandInContext, flow: Flow, session: Session): StandInResponse {
  const account = ctx.store.findAccount(session.tid, session.oid);
  if (!account) return signInPage(flow, undefined);
  const p = paths(flow);
  return html(
    200,
    renderSelectAccountPage({
      action: p.continue,
      switchHref: p.switch,
      flowId: flow.id,
      name: account.user.name,
      username: account.user.preferred_username,
    }),
  );
}

function consentPage(flow: Flow, account: Account, options: { organizationWide: boolean }): StandInResponse {
  const p = paths(flow);
  return html(
    200,
    renderConsentPage({
      action: p.consent,
      switchHref: p.switch,
      flowId: flow.id,
      appName: flow.request.client.display_name,
      username: account.user.preferred_username,
      scopes: flow.request.scopes,
      organizationWide: options.organizationWide,
      offerOrganizationConsent: !options.organizationWide && account.user.isAdmin,
      tenantName: account.tenant.displayName,
    }),
  );
}

function needAdminApproval(flow: Flow, account: Account, status: number, detail: string): StandInResponse {
  const p = paths(flow);
  return html(
    status,
    renderNeedAdminApprovalPage({
      action: p.consent,
      switchHref: p.switch,
      flowId: flow.id,
      appName: flow.request.client.display_name,
      username: account.user.preferred_username,
      detail,
    }),
  );
}

function expiredFlow(): StandInResponse {
  return errorPage(
    400,
    "This sign-in request has expired or is unknown. Go back to the application and sign in again.",
  );
}

function withCookie(response: StandInResponse, cookie: string): StandInResponse {
  const existing = response.headers["set-cookie"];
  const cookies = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  return { ...response, headers: { ...response.headers, "set-cookie": [...cookies, cookie] } };
}
