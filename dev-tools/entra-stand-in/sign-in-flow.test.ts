import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createEntraStandIn, type EntraStandIn } from "./server";
import {
  authorizeUrl,
  certDirForTests,
  CLIENT_ID,
  CONTOSO,
  FABRIKAM,
  location,
  NORTHWIND,
  pkcePair,
  readForm,
  readLink,
  redeemCode,
  REDIRECT_URI,
  standardParams,
  submitConsent,
  submitSignIn,
  TestBrowser,
} from "./test-support";

const certDir = certDirForTests();
let standIn: EntraStandIn;
let browser: TestBrowser;

beforeEach(async () => {
  standIn = await createEntraStandIn({ port: 0, certDir });
  browser = new TestBrowser(standIn.caCertPath);
});
afterEach(async () => {
  vi.useRealTimers();
  await standIn.close();
});

/** authorize -> sign-in -> (consent) -> redirect with code; returns the callback URL and PKCE verifier. */
async function signInToCallback(
  username: string,
  options: { extra?: Record<string, string | undefined>; segment?: string; consent?: "accept" | "accept-for-org" } = {},
) {
  const pkce = pkcePair();
  const params = standardParams(pkce.challenge, options.extra);
  const page = await browser.get(authorizeUrl(standIn.url, params, options.segment));
  // Already signed in and consented: the stand-in answers at once, as Entra's SSO does.
  if (page.status === 302) return { callback: location(page), verifier: pkce.verifier, params };
  expect(page.status).toBe(200);
  let answer = await submitSignIn(browser, standIn.url, page, username);
  if (answer.status === 200 && answer.body.includes("Permissions requested")) {
    answer = await submitConsent(browser, standIn.url, answer, "accept", options.consent === "accept-for-org");
  }
  const callback = location(answer);
  return { callback, verifier: pkce.verifier, params };
}

async function verifyIdToken(idToken: string, tid: string) {
  const keys = JSON.parse((await browser.get(`${standIn.url}/${tid}/discovery/v2.0/keys`)).body) as JSONWebKeySet;
  return jwtVerify(idToken, createLocalJWKSet(keys), {
    issuer: standIn.issuerFor(tid),
    audience: CLIENT_ID,
    algorithms: ["RS256"],
  });
}

describe("authorization code flow with PKCE", () => {
  it("signs an admin in, takes org-wide consent and issues a verifiable per-tenant id_token", async () => {
    const { callback, verifier, params } = await signInToCallback("adele.vance@contoso.onmicrosoft.com", {
      consent: "accept-for-org",
    });
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(params.state);
    const code = callback.searchParams.get("code");
    expect(code).toBeTruthy();

    const token = await redeemCode(browser, standIn.url, { code: code!, verifier });
    expect(token.status).toBe(200);
    expect(token.headers["cache-control"]).toBe("no-store");
    expect(token.json).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(token.json.scope).toBe("openid profile email https://graph.microsoft.com/User.Read");

    const { payload, protectedHeader } = await verifyIdToken(String(token.json.id_token), CONTOSO);
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload).toMatchObject({
      iss: `${standIn.url}/${CONTOSO}/v2.0`,
      aud: CLIENT_ID,
      tid: CONTOSO,
      oid: "9a101327-fb5a-4ab8-b69f-a4c06b980792",
      preferred_username: "adele.vance@contoso.onmicrosoft.com",
      name: "Adele Vance",
      email: "adele.vance@contoso.com",
      nonce: params.nonce,
      ver: "2.0",
    });
    expect(payload.sub).not.toBe(payload.oid);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.exp! - payload.iat!).toBe(3900);
    expect(standIn.hasAdminConsent(CONTOSO, CLIENT_ID)).toBe(true);
  });

  it("accepts client_secret_basic as next-auth sends it by default", async () => {
    const { callback, verifier } = await signInToCallback("megan.bowen@fabrikam.onmicrosoft.com", {
      consent: "accept",
    });
    const token = await redeemCode(browser, standIn.url, {
      code: callback.searchParams.get("code")!,
      verifier,
      auth: "basic",
    });
    expect(token.status).toBe(200);
    expect(decodeJwt(String(token.json.id_token)).iss).toBe(standIn.issuerFor(FABRIKAM));
  });

  it("keeps sub stable for a user and app, and never equal to oid", async () => {
    const first = await signInToCallback("alex.wilber@contoso.onmicrosoft.com", { consent: "accept" });
    const a = await redeemCode(browser, standIn.url, {
      code: first.callback.searchParams.get("code")!,
      verifier: first.verifier,
    });
    // Second sign-in: ESTSAUTH and the recorded consent skip both pages.
    const pkce = pkcePair();
    const again = await browser.get(authorizeUrl(standIn.url, standardParams(pkce.challenge)));
    const b = await redeemCode(browser, standIn.url, {
      code: location(again).searchParams.get("code")!,
      verifier: pkce.verifier,
    });
    const subA = decodeJwt(String(a.json.id_token)).sub;
    expect(subA).toBe(decodeJwt(String(b.json.id_token)).sub);
    expect(subA).not.toBe("d1657312-0ee7-4a21-b441-145b2906b155");
  });

  it("omits email when the fixture user has none, and when the email scope is not asked for", async () => {
    const lee = await signInToCallback("lee.gu@contoso.onmicrosoft.com", { consent: "accept" });
    const leeToken = await redeemCode(browser, standIn.url, {
      code: lee.callback.searchParams.get("code")!,
      verifier: lee.verifier,
    });
    const leeClaims = decodeJwt(String(leeToken.json.id_token));
    expect(leeClaims.preferred_username).toBe("lee.gu@contoso.onmicrosoft.com");
    expect(leeClaims).not.toHaveProperty("email");

    browser = new TestBrowser(standIn.caCertPath);
    const adele = await signInToCallback("adele.vance@contoso.onmicrosoft.com", {
      extra: { scope: "openid profile User.Read" },
      consent: "accept",
    });
    const adeleToken = await redeemCode(browser, standIn.url, {
      code: adele.callback.searchParams.get("code")!,
      verifier: adele.verifier,
    });
    expect(decodeJwt(String(adeleToken.json.id_token))).not.toHaveProperty("email");
  });

  it("carries a state-less, nonce-less request through (next-auth's default checks are PKCE only)", async () => {
    const { callback, verifier } = await signInToCallback("megan.bowen@fabrikam.onmicrosoft.com", {
      extra: { state: undefined, nonce: undefined },
      consent: "accept",
    });
    expect(callback.searchParams.has("state")).toBe(false);
    const token = await redeemCode(browser, standIn.url, { code: callback.searchParams.get("code")!, verifier });
    expect(decodeJwt(String(token.json.id_token))).not.toHaveProperty("nonce");
  });

  it("answers with an auto-submitting form for response_mode=form_post", async () => {
    const pkce = pkcePair();
    const params = standardParams(pkce.challenge, { response_mode: "form_post" });
    const page = await browser.get(authorizeUrl(standIn.url, params));
    const consent = await submitSignIn(browser, standIn.url, page, "megan.bowen@fabrikam.onmicrosoft.com");
    const answer = await submitConsent(browser, standIn.url, consent, "accept");
    expect(answer.status).toBe(200);
    const form = readForm(answer.body);
    expect(form.action).toBe(REDIRECT_URI);
    expect(form.fields.state).toBe(params.state);
    const token = await redeemCode(browser, standIn.url, { code: form.fields.code!, verifier: pkce.verifier });
    expect(token.status).toBe(200);
  });

  it("serves userinfo for the issued access token, which is a Graph token, not one for the app", async () => {
    const { callback, verifier } = await signInToCallback("adele.vance@contoso.onmicrosoft.com", { consent: "accept" });
    const token = await redeemCode(browser, standIn.url, { code: callback.searchParams.get("code")!, verifier });
    const access = decodeJwt(String(token.json.access_token));
    expect(access.aud).toBe("00000003-0000-0000-c000-000000000000");
    const info = await browser.request(`${standIn.url}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${String(token.json.access_token)}` },
    });
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({
      sub: decodeJwt(String(token.json.id_token)).sub,
      name: "Adele Vance",
      email: "adele.vance@contoso.com",
    });
    expect((await browser.get(`${standIn.url}/oidc/userinfo`)).status).toBe(401);
  });
});

describe("sessions and prompts", () => {
  it("skips the password form on a second authorize and offers 'Use another account'", async () => {
    await signInToCallback("alex.wilber@contoso.onmicrosoft.com", { consent: "accept" });
    const pkce = pkcePair();
    const picker = await browser.get(
      authorizeUrl(standIn.url, standardParams(pkce.challenge, { prompt: "select_account" })),
    );
    expect(picker.body).toContain("Continue as Alex Wilber");
    const switched = await browser.get(standIn.url + readLink(picker.body, "Use another account"));
    expect(switched.body).toContain('<label for="login">Email</label>');
    expect(browser.cookies.has("ESTSAUTH")).toBe(false);
  });

  it("asks for the password again with prompt=login, and for consent again with prompt=consent", async () => {
    await signInToCallback("alex.wilber@contoso.onmicrosoft.com", { consent: "accept" });
    const login = await browser.get(
      authorizeUrl(standIn.url, standardParams(pkcePair().challenge, { prompt: "login" })),
    );
    expect(login.body).toContain('<label for="passwd">Password</label>');
    const consent = await browser.get(
      authorizeUrl(standIn.url, standardParams(pkcePair().challenge, { prompt: "consent" })),
    );
    expect(consent.body).toContain("Permissions requested");
  });

  it("answers prompt=none with login_required when nobody is signed in", async () => {
    const params = standardParams(pkcePair().challenge, { prompt: "none" });
    const callback = location(await browser.get(authorizeUrl(standIn.url, params)));
    expect(callback.searchParams.get("error")).toBe("login_required");
    expect(callback.searchParams.get("state")).toBe(params.state);
  });

  it("lets a second user of an admin-consented tenant in without a consent page", async () => {
    await signInToCallback("adele.vance@contoso.onmicrosoft.com", { consent: "accept-for-org" });
    browser = new TestBrowser(standIn.caCertPath);
    const page = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge)));
    const answer = await submitSignIn(browser, standIn.url, page, "lee.gu@contoso.onmicrosoft.com");
    expect(location(answer).searchParams.get("code")).toBeTruthy();
  });
});

describe("sign-in refusals", () => {
  it("shows an error page, never a redirect, for an unregistered redirect_uri", async () => {
    const params = standardParams(pkcePair().challenge, { redirect_uri: "https://evil.example/callback" });
    const page = await browser.get(authorizeUrl(standIn.url, params));
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.body).toContain("AADSTS50011");
  });

  it("ignores only the port of a registered http://localhost redirect URI (reply-url localhost exception)", async () => {
    const ok = await browser.get(
      authorizeUrl(
        standIn.url,
        standardParams(pkcePair().challenge, {
          redirect_uri: "http://localhost:4123/api/auth/callback/microsoft-entra-id",
        }),
      ),
    );
    expect(ok.body).toContain("Sign in");
    const otherPath = await browser.get(
      authorizeUrl(
        standIn.url,
        standardParams(pkcePair().challenge, { redirect_uri: "http://localhost:4123/api/auth/callback/other" }),
      ),
    );
    expect(otherPath.status).toBe(400);
  });

  it("refuses an unknown client with AADSTS700016", async () => {
    const page = await browser.get(
      authorizeUrl(standIn.url, standardParams(pkcePair().challenge, { client_id: "nope" })),
    );
    expect(page.status).toBe(400);
    expect(page.body).toContain("AADSTS700016");
  });

  it.each([
    ["missing code_challenge", { code_challenge: undefined }, "invalid_request"],
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request"],
    ["no code_challenge_method (Entra assumes plain)", { code_challenge_method: undefined }, "invalid_request"],
    ["implicit flow", { response_type: "id_token" }, "unsupported_response_type"],
    ["no openid scope", { scope: "User.Read" }, "invalid_scope"],
    ["another resource's scope", { scope: "openid api://other/.default" }, "invalid_scope"],
  ])("redirects back with an error for %s, keeping state", async (_name, extra, error) => {
    const params = standardParams(pkcePair().challenge, extra);
    const callback = location(await browser.get(authorizeUrl(standIn.url, params)));
    expect(callback.searchParams.get("error")).toBe(error);
    expect(callback.searchParams.get("error_description")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe(params.state);
  });

  it("refuses a wrong password and an unknown user on the sign-in page", async () => {
    const page = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge)));
    const wrong = await submitSignIn(browser, standIn.url, page, "adele.vance@contoso.onmicrosoft.com", "nope");
    expect(wrong.body).toContain("AADSTS50126");
    const unknown = await submitSignIn(browser, standIn.url, wrong, "nobody@contoso.onmicrosoft.com");
    expect(unknown.body).toContain("AADSTS50034");
    expect(browser.cookies.has("ESTSAUTH")).toBe(false);
  });

  it("keeps personal accounts out of /organizations and other tenants' users out of a tenant endpoint", async () => {
    const orgs = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge), "organizations"));
    const personal = await submitSignIn(browser, standIn.url, orgs, "pat.personal@outlook.com");
    expect(personal.body).toContain("sign in here with a personal account");
    const fabrikam = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge), FABRIKAM));
    const contosoUser = await submitSignIn(browser, standIn.url, fabrikam, "alex.wilber@contoso.onmicrosoft.com");
    expect(contosoUser.body).toContain("AADSTS50020");
  });

  it("signs a personal account in on /common with the consumer tenant id", async () => {
    const { callback, verifier } = await signInToCallback("pat.personal@outlook.com", { consent: "accept" });
    const token = await redeemCode(browser, standIn.url, { code: callback.searchParams.get("code")!, verifier });
    const claims = decodeJwt(String(token.json.id_token));
    expect(claims.tid).toBe("9188040d-6c67-4c5b-b112-36a304b66dad");
    expect(claims.iss).toBe(standIn.issuerFor("9188040d-6c67-4c5b-b112-36a304b66dad"));
  });
});

describe("consent", () => {
  it("redirects Cancel back as access_denied with state (AADSTS65004)", async () => {
    const params = standardParams(pkcePair().challenge);
    const page = await browser.get(authorizeUrl(standIn.url, params));
    const consent = await submitSignIn(browser, standIn.url, page, "alex.wilber@contoso.onmicrosoft.com");
    const callback = location(await submitConsent(browser, standIn.url, consent, "cancel"));
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("error_subcode")).toBe("cancel");
    expect(callback.searchParams.get("error_description")).toMatch(/^AADSTS65004/);
    expect(callback.searchParams.get("state")).toBe(params.state);
    expect(callback.searchParams.has("code")).toBe(false);
  });

  it("lists the permissions and offers the organisation checkbox to admins only", async () => {
    const page = await browser.get(
      authorizeUrl(
        standIn.url,
        standardParams(pkcePair().challenge, { scope: "openid profile email offline_access User.Read" }),
      ),
    );
    const adminConsent = await submitSignIn(browser, standIn.url, page, "adele.vance@contoso.onmicrosoft.com");
    for (const scope of ["openid", "profile", "email", "offline_access", "User.Read"])
      expect(adminConsent.body).toContain(`(${scope})`);
    expect(adminConsent.body).toContain("Consent on behalf of your organization");

    browser = new TestBrowser(standIn.caCertPath);
    const page2 = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge)));
    const userConsent = await submitSignIn(browser, standIn.url, page2, "alex.wilber@contoso.onmicrosoft.com");
    expect(userConsent.body).toContain("Permissions requested");
    expect(userConsent.body).not.toContain("Consent on behalf of your organization");
  });

  it("refuses org-wide consent from a non-admin who forges the checkbox, and records nothing", async () => {
    const page = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge)));
    const consent = await submitSignIn(browser, standIn.url, page, "alex.wilber@contoso.onmicrosoft.com");
    const refused = await submitConsent(browser, standIn.url, consent, "accept", true);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("Need admin approval");
    expect(refused.body).toContain("AADSTS90094");
    expect(standIn.hasAdminConsent(CONTOSO, CLIENT_ID)).toBe(false);

    // The user's own consent was not recorded either: Lee in the same tenant still sees the page.
    browser = new TestBrowser(standIn.caCertPath);
    const page2 = await browser.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge)));
    expect((await submitSignIn(browser, standIn.url, page2, "lee.gu@contoso.onmicrosoft.com")).body).toContain(
      "Permissions requested",
    );
  });

  it("shows 'Need admin approval' where user consent is disabled, and returns access_denied from it", async () => {
    const params = standardParams(pkcePair().challenge);
    const page = await browser.get(authorizeUrl(standIn.url, params));
    const approval = await submitSignIn(browser, standIn.url, page, "lidia.holloway@northwind.onmicrosoft.com");
    expect(approval.body).toContain("Need admin approval");
    const callback = location(await submitConsent(browser, standIn.url, approval, "cancel"));
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe(params.state);
    expect(standIn.hasAdminConsent(NORTHWIND, CLIENT_ID)).toBe(false);
  });

  it("asks again when new permissions are requested (incremental consent)", async () => {
    await signInToCallback("alex.wilber@contoso.onmicrosoft.com", { consent: "accept" });
    const more = await browser.get(
      authorizeUrl(
        standIn.url,
        standardParams(pkcePair().challenge, { scope: "openid profile email User.Read Mail.Read" }),
      ),
    );
    expect(more.body).toContain("(Mail.Read)");
  });
});

describe("token endpoint refusals", () => {
  async function freshCode(username = "megan.bowen@fabrikam.onmicrosoft.com") {
    const { callback, verifier } = await signInToCallback(username, { consent: "accept" });
    return { code: callback.searchParams.get("code")!, verifier };
  }

  it("refuses a wrong code_verifier with invalid_grant, and the code is spent", async () => {
    const { code, verifier } = await freshCode();
    const wrong = await redeemCode(browser, standIn.url, { code, verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.json).toMatchObject({ error: "invalid_grant", error_codes: [501481] });
    expect((await redeemCode(browser, standIn.url, { code, verifier })).json.error).toBe("invalid_grant");
  });

  it("refuses a missing code_verifier", async () => {
    const { code } = await freshCode();
    const missing = await redeemCode(browser, standIn.url, { code });
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("invalid_request");
  });

  it("refuses a replayed code with AADSTS54005 in Entra's error shape, and revokes its access token", async () => {
    const { code, verifier } = await freshCode();
    const first = await redeemCode(browser, standIn.url, { code, verifier });
    expect(first.status).toBe(200);
    const replay = await redeemCode(browser, standIn.url, { code, verifier });
    expect(replay.status).toBe(400);
    expect(replay.headers["content-type"]).toMatch(/^application\/json/);
    expect(replay.json).toMatchObject({ error: "invalid_grant", error_codes: [54005] });
    expect(String(replay.json.error_description)).toMatch(/^AADSTS54005: /);
    expect(replay.json).toHaveProperty("trace_id");
    expect(replay.json).toHaveProperty("correlation_id");
    const info = await browser.request(`${standIn.url}/oidc/userinfo`, {
      headers: { authorization: `Bearer ${String(first.json.access_token)}` },
    });
    expect(info.status).toBe(401);
  });

  it("refuses a wrong client secret with 401 invalid_client, and leaves the code usable", async () => {
    const { code, verifier } = await freshCode();
    const post = await redeemCode(browser, standIn.url, { code, verifier, secret: "wrong-secret-wrong-secret" });
    expect(post.status).toBe(401);
    expect(post.json).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    const basic = await redeemCode(browser, standIn.url, {
      code,
      verifier,
      secret: "wrong-secret-wrong-secret",
      auth: "basic",
    });
    expect(basic.status).toBe(401);
    expect((await redeemCode(browser, standIn.url, { code, verifier })).status).toBe(200);
  });

  it("binds the code to its redirect_uri and client", async () => {
    const a = await freshCode();
    const otherUri = await redeemCode(browser, standIn.url, {
      ...a,
      redirectUri: "http://localhost:3001/api/auth/callback/microsoft-entra-id",
    });
    expect(otherUri.json.error).toBe("invalid_grant");
    const unknownClient = await redeemCode(browser, standIn.url, { ...(await freshCode()), clientId: "someone-else" });
    expect(unknownClient.json.error).toBe("unauthorized_client");
  });

  it("expires codes after 60 seconds", async () => {
    const { code, verifier } = await freshCode();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61_000 });
    const late = await redeemCode(browser, standIn.url, { code, verifier });
    expect(late.json).toMatchObject({ error: "invalid_grant", error_codes: [70008] });
  });

  it("refuses a code redeemed at another tenant's token endpoint", async () => {
    const { code, verifier } = await freshCode();
    const wrongTenant = await redeemCode(browser, standIn.url, { code, verifier, segment: CONTOSO });
    expect(wrongTenant.json).toMatchObject({ error: "invalid_grant", error_codes: [700005] });
  });

  it("refuses other grant types and garbage codes", async () => {
    const garbage = await redeemCode(browser, standIn.url, { code: "not-a-code", verifier: pkcePair().verifier });
    expect(garbage.json).toMatchObject({ error: "invalid_grant", error_codes: [9002313] });
    const result = await browser.post(`${standIn.url}/common/oauth2/v2.0/token`, {
      grant_type: "password",
      client_id: CLIENT_ID,
      client_secret: "storegate-console-dev-secret",
      username: "adele.vance@contoso.onmicrosoft.com",
      password: "Passw0rd!",
    });
    expect(result.status).toBe(400);
    expect(JSON.parse(result.body).error).toBe("unsupported_grant_type");
  });
});
