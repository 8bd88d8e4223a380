import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";

export type SigningKey = {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK & { kid: string; kty: "RSA"; use: "sig"; alg: "RS256" };
};

// Entra signs every tenant's tokens with the same small set of keys and publishes them at every
// tenant's jwks_uri; one RS256 key per process does the same. It lives in memory only, so a
// restart is a key rotation, which relying parties must survive anyway (signing-key-rollover).
let current: Promise<SigningKey> | undefined;

export function getSigningKey(): Promise<SigningKey> {
  current ??= createSigningKey();
  return current;
}

/** The stand-in's public signing key, as published in its JWKS. */
export async function getSigningPublicJwk(): Promise<SigningKey["publicJwk"]> {
  return { ...(await getSigningKey()).publicJwk };
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(publicKey);
  // Entra's kid is an opaque, URL-safe thumbprint of the key; the RFC 7638 thumbprint is one.
  const kid = await calculateJwkThumbprint(jwk);
  if (jwk.kty !== "RSA" || !jwk.n || !jwk.e) throw new Error("expected an RSA public key");
  return { kid, privateKey, publicKey, publicJwk: { kty: "RSA", use: "sig", alg: "RS256", kid, n: jwk.n, e: jwk.e } };
}
