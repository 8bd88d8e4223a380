import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { MSA_TENANT_ID } from "./fixture";
import { getSigningPublicJwk } from "./signing-key";
import { mintIdToken, derivePairwiseSubject } from "./tokens";

const BASE = "https://login.microsoftonline.com";
const TID = "361de6c0-ad37-4fa8-be14-db3f7c631ea1";
const OID = "9a101327-fb5a-4ab8-b69f-a4c06b980792";

async function verify(token: string) {
  const serveJwks = createLocalJWKSet({ keys: [await getSigningPublicJwk()] });
  return jwtVerify(token, serveJwks, { issuer: `${BASE}/${TID}/v2.0`, audience: "app", algorithms: ["RS256"] });
}

describe("mintIdToken (test hook)", () => {
  it("mints an Entra-shaped token the stand-in's public key verifies", async () => {
    const token = await mintIdToken({
      baseUrl: BASE,
      clientId: "app",
      tid: TID,
      oid: OID,
      name: "Adele",
      nonce: "n-1",
    });
    const { payload, protectedHeader } = await verify(token);
    expect(protectedHeader.kid).toBe((await getSigningPublicJwk()).kid);
    expect(payload).toMatchObject({ tid: TID, oid: OID, name: "Adele", nonce: "n-1", ver: "2.0" });
    expect(payload.sub).toBe(derivePairwiseSubject(TID, OID, "app"));
    expect(payload).not.toHaveProperty("email");
  });

  it("overrides and removes claims", async () => {
    const token = await mintIdToken({
      baseUrl: BASE,
      clientId: "app",
      tid: TID,
      oid: OID,
      claims: { email: "victim@contoso.com", tid: MSA_TENANT_ID, oid: undefined },
    });
    const claims = decodeJwt(token);
    expect(claims.email).toBe("victim@contoso.com");
    expect(claims.tid).toBe(MSA_TENANT_ID);
    expect(claims.iss).toBe(`${BASE}/${TID}/v2.0`);
    expect(claims).not.toHaveProperty("oid");
  });

  it("signs with a foreign key under the trusted kid, which verification rejects", async () => {
    const token = await mintIdToken({ baseUrl: BASE, clientId: "app", tid: TID, oid: OID, signWith: "other-key" });
    expect(decodeProtectedHeader(token).kid).toBe((await getSigningPublicJwk()).kid);
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });

  it("produces alg:none tokens with an empty signature", async () => {
    const token = await mintIdToken({ baseUrl: BASE, clientId: "app", tid: TID, oid: OID, signWith: "none" });
    expect(token.endsWith(".")).toBe(true);
    expect(decodeProtectedHeader(token).alg).toBe("none");
    await expect(verify(token)).rejects.toThrow();
  });

  it("signs with any caller-supplied key and algorithm (algorithm confusion)", async () => {
    const secret = new TextEncoder().encode(JSON.stringify(await getSigningPublicJwk()));
    const token = await mintIdToken({
      baseUrl: BASE,
      clientId: "app",
      tid: TID,
      oid: OID,
      signWith: { alg: "HS256", key: secret },
    });
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    await expect(verify(token)).rejects.toThrow();
  });

  it("mints expired tokens", async () => {
    const token = await mintIdToken({ baseUrl: BASE, clientId: "app", tid: TID, oid: OID, lifetimeSeconds: -60 });
    await expect(verify(token)).rejects.toBeInstanceOf(errors.JWTExpired);
  });

  it("derives sub per user and app, never equal to oid", () => {
    expect(derivePairwiseSubject(TID, OID, "app")).toBe(derivePairwiseSubject(TID, OID, "app"));
    expect(derivePairwiseSubject(TID, OID, "app")).not.toBe(derivePairwiseSubject(TID, OID, "other-app"));
    expect(derivePairwiseSubject(TID, OID, "app")).not.toBe(OID);
    expect(derivePairwiseSubject(TID, OID, "app")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
