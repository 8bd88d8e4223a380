import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEntraStandIn, type EntraStandIn } from "./server";
import {
  authorizeUrl,
  certDirForTests,
  CLIENT_ID,
  CONTOSO,
  location,
  NORTHWIND,
  pkcePair,
  readLink,
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
afterEach(() => standIn.close());

function adminConsentUrl(
  params: Record<string, string | undefined>,
  segment = "organizations",
  path = "v2.0/adminconsent",
) {
  const url = new URL(`${standIn.url}/${segment}/${path}`);
  const all = {
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: "onboard-123",
    scope: "https://graph.microsoft.com/.default",
    ...params,
  };
  for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

describe("admin consent endpoint", () => {
  it("redirects with admin_consent=True, the tenant id, state and the granted scope after an admin accepts", async () => {
    const page = await browser.get(adminConsentUrl({}));
    const consent = await submitSignIn(browser, standIn.url, page, "nestor.wilke@northwind.onmicrosoft.com");
    expect(consent.body).toContain("for your organization");
    expect(consent.body).not.toContain("Consent on behalf of your organization");
    const callback = location(await submitConsent(browser, standIn.url, consent, "accept"));
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(callback.searchParams)).toEqual({
      admin_consent: "True",
      tenant: NORTHWIND,
      state: "onboard-123",
      scope: "openid profile email offline_access https://graph.microsoft.com/User.Read",
    });
    expect(standIn.hasAdminConsent(NORTHWIND, CLIENT_ID)).toBe(true);

    // Northwind disables user consent, yet its ordinary users now get straight in.
    const user = new TestBrowser(standIn.caCertPath);
    const signIn = await user.get(authorizeUrl(standIn.url, standardParams(pkcePair().challenge)));
    const answer = await submitSignIn(user, standIn.url, signIn, "lidia.holloway@northwind.onmicrosoft.com");
    expect(location(answer).searchParams.get("code")).toBeTruthy();
  });

  it("redirects Cancel as access_denied with state and records nothing", async () => {
    const page = await browser.get(adminConsentUrl({}, "contoso.onmicrosoft.com"));
    const consent = await submitSignIn(browser, standIn.url, page, "adele.vance@contoso.onmicrosoft.com");
    const callback = location(await submitConsent(browser, standIn.url, consent, "cancel"));
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("error_description")).toMatch(/^AADSTS65004/);
    expect(callback.searchParams.get("state")).toBe("onboard-123");
    expect(callback.searchParams.has("tenant")).toBe(false);
    expect(standIn.hasAdminConsent(CONTOSO, CLIENT_ID)).toBe(false);
  });

  it("tells a non-admin they need admin approval, and lets them switch to an admin account", async () => {
    const page = await browser.get(adminConsentUrl({}));
    const approval = await submitSignIn(browser, standIn.url, page, "alex.wilber@contoso.onmicrosoft.com");
    expect(approval.body).toContain("Need admin approval");
    // Posting "accept" anyway is refused.
    const forced = await submitConsent(browser, standIn.url, approval, "accept");
    expect(forced.status).toBe(403);
    expect(standIn.hasAdminConsent(CONTOSO, CLIENT_ID)).toBe(false);

    const signIn = await browser.get(standIn.url + readLink(approval.body, "Sign in with that account"));
    const consent = await submitSignIn(browser, standIn.url, signIn, "adele.vance@contoso.onmicrosoft.com");
    const callback = location(await submitConsent(browser, standIn.url, consent, "accept"));
    expect(callback.searchParams.get("tenant")).toBe(CONTOSO);
  });

  it("refuses an admin of another tenant on a tenant-specific URL", async () => {
    const page = await browser.get(adminConsentUrl({}, CONTOSO));
    const refused = await submitSignIn(browser, standIn.url, page, "nestor.wilke@northwind.onmicrosoft.com");
    expect(refused.body).toContain("AADSTS50020");
  });

  it("grants the static permissions through the legacy URL without scope", async () => {
    const page = await browser.get(adminConsentUrl({ scope: undefined }, "common", "adminconsent"));
    const consent = await submitSignIn(browser, standIn.url, page, "adele.vance@contoso.onmicrosoft.com");
    const callback = location(await submitConsent(browser, standIn.url, consent, "accept"));
    expect(callback.searchParams.get("tenant")).toBe(CONTOSO);
    expect(callback.searchParams.get("scope")).toContain("https://graph.microsoft.com/User.Read");
  });

  it("refuses /common on the v2.0 endpoint, an unregistered redirect_uri, and a missing scope", async () => {
    expect((await browser.get(adminConsentUrl({}, "common"))).status).toBe(400);
    const badRedirect = await browser.get(adminConsentUrl({ redirect_uri: "https://evil.example/cb" }));
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.body).toContain("AADSTS50011");
    const noScope = location(await browser.get(adminConsentUrl({ scope: undefined })));
    expect(noScope.searchParams.get("error")).toBe("invalid_request");
    expect(noScope.searchParams.get("state")).toBe("onboard-123");
  });
});
