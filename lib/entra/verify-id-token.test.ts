import { createLocalJWKSet } from "jose";
import { describe, expect, it } from "vitest";
import { getSigningPublicJwk, mintIdToken } from "../../dev-tools/entra-stand-in";
import { EntraTokenError, MSA_TENANT_ID, verifyEntraIdToken, type EntraTokenProblem } from "./verify-id-token";

const AUTHORITY = "https://login.microsoftonline.com";
const CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e";
const TID = "361de6c0-ad37-4fa8-be14-db3f7c631ea1";
const OID = "9a101327-fb5a-4ab8-b69f-a4c06b980792";

async function verifier() {
  const jwks = createLocalJWKSet({ keys: [await getSigningPublicJwk()] });
  return (token: string, extra: { nonce?: string; clientId?: string } = {}) =>
    verifyEntraIdToken(token, {
      authority: AUTHORITY,
      clientId: extra.clientId ?? CLIENT_ID,
      keysFor: () => jwks,
      nonce: extra.nonce,
    });
}

const mint = (options: Partial<Parameters<typeof mintIdToken>[0]> = {}) =>
  mintIdToken({
    baseUrl: AUTHORITY,
    clientId: CLIENT_ID,
    tid: TID,
    oid: OID,
    preferred_username: "adele@contoso.onmicrosoft.com",
    name: "Adele",
    nonce: "n-1",
    ...options,
  });

async function problemOf(promise: Promise<unknown>): Promise<EntraTokenProblem | "accepted"> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    if (error instanceof EntraTokenError) return error.problem;
    throw error;
  }
}

describe("verifyEntraIdToken", () => {
  it("accepts a genuine token and keys the identity on tid + oid", async () => {
    const verify = await verifier();
    expect(await verify(await mint({ email: "adele@contoso.com" }), { nonce: "n-1" })).toEqual({
      tid: TID,
      oid: OID,
      preferredUsername: "adele@contoso.onmicrosoft.com",
      name: "Adele",
      roleTemplateIds: [],
    });
  });

  it("reads the directory roles of a signed token's wids claim, and ignores entries that are not GUIDs", async () => {
    const verify = await verifier();
    const token = await mint({
      claims: { wids: ["62E90394-69F5-4237-9190-012177145E10", 42, "admin", "b79fbf4d-3ef9-4689-8143-76b194e85509"] },
    });
    expect((await verify(token, { nonce: "n-1" })).roleTemplateIds).toEqual([
      "62e90394-69f5-4237-9190-012177145e10",
      "b79fbf4d-3ef9-4689-8143-76b194e85509",
    ]);
    expect(
      (await verify(await mint({ claims: { wids: "62e90394-69f5-4237-9190-012177145e10" } }), { nonce: "n-1" }))
        .roleTemplateIds,
    ).toEqual([]);
  });

  const attacks: [string, () => Promise<string>, EntraTokenProblem][] = [
    ["alg none", () => mint({ signWith: "none" }), "bad_signature"],
    ["a key Entra never published", () => mint({ signWith: "other-key" }), "bad_signature"],
    ["an unknown kid", () => mint({ kid: "not-a-published-kid" }), "bad_signature"],
    [
      "another tenant's issuer",
      () => mint({ claims: { iss: `${AUTHORITY}/1bfcffd0-765f-4fda-a416-52b6b62864a4/v2.0` } }),
      "wrong_issuer",
    ],
    [
      "the unsubstituted issuer template",
      () => mint({ claims: { iss: `${AUTHORITY}/{tenantid}/v2.0` } }),
      "wrong_issuer",
    ],
    ["the v1 issuer", () => mint({ claims: { iss: `https://sts.windows.net/${TID}/` } }), "wrong_issuer"],
    [
      "a look-alike issuer host",
      () => mint({ baseUrl: "https://login.microsoftonline.com.evil.example" }),
      "wrong_issuer",
    ],
    [
      "another application's audience",
      () => mint({ clientId: "00000000-0000-0000-0000-000000000001" }),
      "wrong_audience",
    ],
    ["an expired token", () => mint({ lifetimeSeconds: -3600 }), "expired"],
    ["the personal-account tenant", () => mint({ tid: MSA_TENANT_ID }), "personal_account"],
    ["a tenant id that is not a GUID", () => mint({ tid: "contoso.com" }), "bad_tenant"],
    ["no oid", () => mint({ claims: { oid: undefined } }), "missing_claims"],
    ["a v1 token", () => mint({ claims: { ver: "1.0" } }), "wrong_issuer"],
  ];

  it.each(attacks)("refuses %s", async (_name, token, problem) => {
    const verify = await verifier();
    expect(await problemOf(verify(await token()))).toBe(problem);
  });

  it("refuses a token minted for another sign-in (nonce)", async () => {
    const verify = await verifier();
    expect(await problemOf(verify(await mint(), { nonce: "n-2" }))).toBe("bad_nonce");
  });

  it("refuses garbage", async () => {
    const verify = await verifier();
    expect(await problemOf(verify("not.a.jwt"))).toBe("malformed");
  });

  it("never reads the email claim: a forged mail in another tenant is a different identity", async () => {
    const verify = await verifier();
    const mallory = await verify(
      await mint({
        tid: "1bfcffd0-765f-4fda-a416-52b6b62864a4",
        oid: "5b56d7d6-d2ca-4139-8728-ad405eecb33a",
        email: "adele@contoso.com",
      }),
    );
    expect(mallory).not.toHaveProperty("email");
    expect(mallory.tid).not.toBe(TID);
  });
});
