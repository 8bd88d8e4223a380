import { describe, expect, it } from "vitest";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";

// The headers a browser (or Entra) actually receives from the built app.
const PASSWORD = "Sturdy-Passw0rd";
let team: { teamId: string };
let token: string;
let tenantUrl: string;

const app = useTestApp((env) => {
  team = runCliOk<{ teamId: string }>(env, [
    "team:create",
    "--name",
    "Contoso",
    "--admin-email",
    "ada@contoso.test",
    "--admin-password",
    PASSWORD,
    "--entra-tenant",
    "0c1e2c3d-0007-4a5b-8c6d-7e8f90a1b2c3",
  ]);
  ({ token, tenantUrl } = runCliOk<{ token: string; tenantUrl: string }>(env, [
    "scim-token:issue",
    "--team",
    team.teamId,
  ]));
});

function expectCommonHeaders(response: Response) {
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
  // APP_URL is http:// here: no HSTS.
  expect(response.headers.get("strict-transport-security")).toBeNull();
  expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
}

describe("security headers over HTTP", () => {
  it("puts a fresh nonce CSP on a page and the same nonce on every script it renders", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${app.server.url}/login`);
      expect(response.status).toBe(200);
      expectCommonHeaders(response);
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/base-uri 'self'/);
      expect(csp).toMatch(/form-action 'self'/);
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      nonces.push(nonce);
      const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("covers API routes, SCIM routes and the early 400 for a malformed path", async () => {
    for (const response of [
      await fetch(`${app.server.url}/api/health`),
      await fetch(`${tenantUrl}/Users`, { headers: { authorization: `Bearer ${token}` } }),
      await fetch(`${tenantUrl}/Users`),
      await fetch(`${tenantUrl}/Users/%E0%A4%A`, { headers: { authorization: `Bearer ${token}` } }),
    ]) {
      expectCommonHeaders(response);
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
    }
  });

  it("never lets a cache keep a page or response that shows a secret", async () => {
    const admin = new HttpClient(app.server.url);
    expect(await admin.signIn("ada@contoso.test", PASSWORD)).toBe(true);
    const settings = await admin.fetch("/settings/team/settings");
    expect(settings.status).toBe(200);
    expectCommonHeaders(settings);
    expect(settings.headers.get("cache-control")).toMatch(/no-store/);
    const issued = await admin.json(`/api/teams/${team.teamId}/scim-tokens`, "POST", {
      name: "headers test",
      expiresInDays: 30,
    });
    expect(issued.status).toBe(201);
    expectCommonHeaders(issued);
    expect(issued.headers.get("cache-control")).toBe("no-store");
  });
});

// Same server (no TRUSTED_PROXIES), last in this file because it fills the shared failure bucket.
describe("client addresses without trusted proxies", () => {
  it("do not let a forged X-Forwarded-For escape the SCIM bad-token throttle, and never slow a valid token", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const response = await fetch(`${tenantUrl}/Users`, {
        headers: {
          authorization: "Bearer sgp_wrong",
          "x-forwarded-for": `198.51.100.${i}`,
          "x-real-ip": `192.0.2.${i}`,
        },
      });
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
    expect(statuses.slice(statuses.indexOf(429))).toEqual(Array(statuses.length - statuses.indexOf(429)).fill(429));
    expect(
      (
        await fetch(`${tenantUrl}/Users`, {
          headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "198.51.100.1" },
        })
      ).status,
    ).toBe(200);
  });
});
