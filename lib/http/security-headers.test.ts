import { describe, expect, it } from "vitest";
import type { SecurityContext } from "./security-headers";
import { apiSecurityHeaders, createNonce, pageContentSecurityPolicy, pageSecurityHeaders } from "./security-headers";

const local: SecurityContext = { appUrl: "http://localhost:3000", nodeEnv: "production", entra: { mode: "off" } };
const hosted: SecurityContext = {
  appUrl: "https://console.example.com",
  nodeEnv: "production",
  entra: {
    mode: "microsoft",
    authority: "https://login.microsoftonline.com",
    issuer: "https://login.microsoftonline.com/organizations/v2.0",
    graphUrl: "https://graph.microsoft.com",
    clientId: "c",
    clientSecret: "s",
  },
};

const directives = (csp: string) =>
  Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("security headers", () => {
  it("gives pages a nonce CSP that forbids framing, plugins, foreign bases and foreign form targets", () => {
    const csp = directives(pageContentSecurityPolicy("abc", local));
    expect(csp["script-src"]).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp["frame-ancestors"]).toEqual(["'none'"]);
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    expect(csp["form-action"]).toEqual(["'self'"]);
    expect(csp["upgrade-insecure-requests"]).toBeUndefined();
  });

  it("lets forms redirect to the configured identity provider, and only to it", () => {
    expect(directives(pageContentSecurityPolicy("n", hosted))["form-action"]).toEqual([
      "'self'",
      "https://login.microsoftonline.com",
    ]);
    const standIn: SecurityContext = {
      ...local,
      entra: {
        mode: "stand-in",
        authority: "https://localhost:3443",
        issuer: "https://localhost:3443/common/v2.0",
        graphUrl: "https://localhost:3443",
        clientId: "c",
        clientSecret: "s",
      },
    };
    expect(directives(pageContentSecurityPolicy("n", standIn))["form-action"]).toEqual([
      "'self'",
      "https://localhost:3443",
    ]);
  });

  it("allows eval only for React's development build", () => {
    expect(pageContentSecurityPolicy("n", { ...local, nodeEnv: "development" })).toContain("'unsafe-eval'");
    expect(pageContentSecurityPolicy("n", local)).not.toContain("unsafe");
  });

  it("sends HSTS and upgrades insecure requests only when APP_URL is https", () => {
    expect(pageSecurityHeaders("n", local)["Strict-Transport-Security"]).toBeUndefined();
    expect(pageSecurityHeaders("n", hosted)["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(apiSecurityHeaders(hosted)["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(directives(pageContentSecurityPolicy("n", hosted))["upgrade-insecure-requests"]).toEqual([]);
  });

  it("gives API responses a CSP that loads nothing", () => {
    expect(apiSecurityHeaders(local)).toMatchObject({
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": expect.stringContaining("camera=(), microphone=(), geolocation=()"),
    });
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
