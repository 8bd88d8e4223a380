import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MSA_TENANT_ID } from "./fixture";
import { createEntraStandIn, type EntraStandIn } from "./server";
import { certDirForTests, CONTOSO, FABRIKAM, NORTHWIND, TestBrowser } from "./test-support";

let standIn: EntraStandIn;
let browser: TestBrowser;

beforeAll(async () => {
  standIn = await createEntraStandIn({ port: 0, certDir: certDirForTests() });
  browser = new TestBrowser(standIn.caCertPath);
});
afterAll(() => standIn.close());

async function discover(segment: string) {
  const result = await browser.get(`${standIn.url}/${segment}/v2.0/.well-known/openid-configuration`);
  return { status: result.status, doc: JSON.parse(result.body) as Record<string, unknown> };
}

describe("discovery", () => {
  it("listens on https://localhost with a certificate the CA file vouches for", () => {
    expect(standIn.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(standIn.commonIssuer).toBe(`${standIn.url}/common/v2.0`);
  });

  it.each(["common", "organizations"])("publishes the {tenantid} issuer template on /%s", async (segment) => {
    const { status, doc } = await discover(segment);
    expect(status).toBe(200);
    expect(doc).toMatchObject({
      issuer: `${standIn.url}/{tenantid}/v2.0`,
      authorization_endpoint: `${standIn.url}/${segment}/oauth2/v2.0/authorize`,
      token_endpoint: `${standIn.url}/${segment}/oauth2/v2.0/token`,
      jwks_uri: `${standIn.url}/${segment}/discovery/v2.0/keys`,
      userinfo_endpoint: `${standIn.url}/oidc/userinfo`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      id_token_signing_alg_values_supported: ["RS256"],
      subject_types_supported: ["pairwise"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    });
  });

  it.each([CONTOSO, FABRIKAM, NORTHWIND, MSA_TENANT_ID])("publishes the exact issuer of tenant %s", async (tid) => {
    const { doc } = await discover(tid);
    expect(doc.issuer).toBe(`${standIn.url}/${tid}/v2.0`);
    expect(doc.issuer).toBe(standIn.issuerFor(tid));
    expect(doc.token_endpoint).toBe(`${standIn.url}/${tid}/oauth2/v2.0/token`);
  });

  it("resolves a tenant's domain name to its GUID, and /consumers to the personal-account tenant", async () => {
    expect((await discover("contoso.onmicrosoft.com")).doc.issuer).toBe(standIn.issuerFor(CONTOSO));
    expect((await discover("consumers")).doc.issuer).toBe(standIn.issuerFor(MSA_TENANT_ID));
  });

  it("answers an unknown tenant with AADSTS90002", async () => {
    const { status, doc } = await discover("00000000-0000-0000-0000-000000000000");
    expect(status).toBe(400);
    expect(doc).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
  });

  it("publishes one shared RS256 key, tagged with the issuer it may sign for", async () => {
    const common = JSON.parse((await browser.get(`${standIn.url}/common/discovery/v2.0/keys`)).body);
    const contoso = JSON.parse((await browser.get(`${standIn.url}/${CONTOSO}/discovery/v2.0/keys`)).body);
    expect(common.keys).toHaveLength(1);
    expect(common.keys[0]).toMatchObject({ kty: "RSA", use: "sig", issuer: `${standIn.url}/{tenantid}/v2.0` });
    expect(common.keys[0]).not.toHaveProperty("d");
    expect(contoso.keys[0].kid).toBe(common.keys[0].kid);
    expect(contoso.keys[0].issuer).toBe(standIn.issuerFor(CONTOSO));
  });

  it("answers unknown paths with 404 and wrong methods with 405", async () => {
    expect((await browser.get(`${standIn.url}/common/oauth2/v2.0/nothing`)).status).toBe(404);
    expect((await browser.get(`${standIn.url}/common/oauth2/v2.0/token`)).status).toBe(405);
  });
});
