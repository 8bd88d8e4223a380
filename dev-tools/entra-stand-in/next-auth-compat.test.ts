// Drives the stand-in with the exact discovery and token-processing calls next-auth 5.0.0-beta.32
// makes for its microsoft-entra-id provider (@auth/core lib/actions/signin/authorization-url.js and
// lib/actions/callback/oauth/callback.js), using the provider's own customFetch and the same
// oauth4webapi functions, so a change that would break the console's sign-in fails here first.
// next-auth re-exports this symbol, but its index imports next/server, which plain Node cannot
// resolve outside Next; @auth/core is the module the symbol comes from.
import { customFetch } from "@auth/core";
import MicrosoftEntraID from "next-auth/providers/microsoft-entra-id";
// oauth4webapi is next-auth's own OAuth client (a dependency of @auth/core); it is imported here
// only to replay next-auth's calls faithfully.
import * as o from "oauth4webapi";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEntraStandIn, type EntraStandIn } from "./server";
import {
  certDirForTests,
  CLIENT_ID,
  CLIENT_SECRET,
  FABRIKAM,
  location,
  REDIRECT_URI,
  submitConsent,
  submitSignIn,
  TestBrowser,
} from "./test-support";

let standIn: EntraStandIn;
let browser: TestBrowser;

beforeAll(async () => {
  standIn = await createEntraStandIn({ port: 0, certDir: certDirForTests() });
  browser = new TestBrowser(standIn.caCertPath);
  // The provider's customFetch calls the global fetch; in the console NODE_EXTRA_CA_CERTS makes
  // that trust the stand-in, here a CA-aware fetch stands in for it.
  vi.stubGlobal("fetch", browser.fetch);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await standIn.close();
});

describe("next-auth microsoft-entra-id provider against the stand-in", () => {
  it("discovers, signs in, re-discovers per tenant and validates the id_token as next-auth does", async () => {
    const provider = MicrosoftEntraID({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      issuer: standIn.commonIssuer,
    });
    const providerFetch = (provider as unknown as Record<symbol, typeof fetch>)[customFetch];
    expect(providerFetch).toBeTypeOf("function");
    const client: o.Client = { client_id: CLIENT_ID };

    // getAuthorizationUrl: discovery of the configured issuer through the provider's customFetch,
    // which substitutes "common" into the {tenantid} template.
    const issuer = new URL(standIn.commonIssuer);
    let as = await o.processDiscoveryResponse(
      issuer,
      await o.discoveryRequest(issuer, { [o.customFetch]: providerFetch, [o.allowInsecureRequests]: true }),
    );
    expect(as.issuer).toBe(standIn.commonIssuer);
    expect(as.userinfo_endpoint).toBeTruthy();
    expect(as.code_challenge_methods_supported).toContain("S256");

    const verifier = o.generateRandomCodeVerifier();
    const nonce = o.generateRandomNonce();
    const state = o.generateRandomState();
    const authorize = new URL(as.authorization_endpoint!);
    authorize.searchParams.set("response_type", "code");
    authorize.searchParams.set("client_id", CLIENT_ID);
    authorize.searchParams.set("redirect_uri", REDIRECT_URI);
    authorize.searchParams.set("scope", "openid profile email User.Read");
    authorize.searchParams.set("state", state);
    authorize.searchParams.set("code_challenge", await o.calculatePKCECodeChallenge(verifier));
    authorize.searchParams.set("code_challenge_method", "S256");
    authorize.searchParams.set("nonce", nonce);

    const page = await browser.get(authorize.toString());
    const consent = await submitSignIn(browser, standIn.url, page, "megan.bowen@fabrikam.onmicrosoft.com");
    const callback = location(await submitConsent(browser, standIn.url, consent, "accept", true));

    // handleOAuth: validate the callback, redeem the code with client_secret_basic (next-auth's default).
    const params = o.validateAuthResponse(as, client, callback.searchParams, state);
    const response = await o.authorizationCodeGrantRequest(
      as,
      client,
      o.ClientSecretBasic(CLIENT_SECRET),
      params,
      REDIRECT_URI,
      verifier,
      { [o.customFetch]: providerFetch, [o.allowInsecureRequests]: true },
    );
    const body = (await response.clone().json()) as { id_token: string; error?: string };
    expect(body.error).toBeUndefined();

    // The Entra-specific step: swap "common" for the id_token's tid and re-discover over HTTPS.
    const { tid } = decodeJwt(body.id_token);
    expect(tid).toBe(FABRIKAM);
    const perTenantIssuer = new URL(as.issuer.replace("common", String(tid)));
    as = await o.processDiscoveryResponse(
      perTenantIssuer,
      await o.discoveryRequest(perTenantIssuer, { [o.customFetch]: providerFetch }),
    );
    expect(as.issuer).toBe(standIn.issuerFor(FABRIKAM));

    const tokens = await o.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: nonce,
      requireIdToken: true,
    });
    const claims = o.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ iss: standIn.issuerFor(FABRIKAM), aud: CLIENT_ID, tid: FABRIKAM, nonce });
    expect(claims.oid).toBe("98c773c9-ff7c-4f07-8493-492ffb91756e");
  });
});
