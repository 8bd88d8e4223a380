import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isRegisteredRedirectUri } from "./authorize";
import { DEFAULT_FIXTURE_PATH, FixtureError, loadFixture, MSA_TENANT_ID, parseFixture } from "./fixture";
import { certDirForTests } from "./test-support";
import { ensureSelfSignedCertificate } from "./tls-certificate";

const bundled = () => JSON.parse(readFileSync(DEFAULT_FIXTURE_PATH, "utf8"));

describe("fixture", () => {
  it("loads the bundled fixture: several tenants with admins, the personal-account tenant, the console client", () => {
    const fixture = loadFixture();
    expect(fixture.tenants.length).toBeGreaterThanOrEqual(3);
    expect(fixture.tenants.some((t) => t.tid === MSA_TENANT_ID)).toBe(true);
    for (const tenant of fixture.tenants.filter((t) => t.tid !== MSA_TENANT_ID)) {
      expect(tenant.users.some((u) => u.isAdmin)).toBe(true);
      expect(tenant.users.some((u) => !u.isAdmin)).toBe(true);
    }
    expect(fixture.clients[0]).toMatchObject({
      client_id: "storegate-console",
      redirect_uris: ["http://localhost:3000/api/auth/callback/microsoft-entra-id"],
    });
  });

  it("names the offending field when invalid", () => {
    const broken = bundled();
    broken.tenants[1].users[0].preferred_username = broken.tenants[0].users[0].preferred_username;
    broken.clients[0].client_secret = "short";
    expect(() => parseFixture(broken)).toThrow(FixtureError);
    expect(() => parseFixture(broken)).toThrow(/tenants\.1\.users\.0\.preferred_username: duplicate/);
    expect(() => parseFixture(broken)).toThrow(/clients\.0\.client_secret/);
  });

  it("adds override redirect URIs to every client", () => {
    const fixture = parseFixture(bundled(), {
      extraRedirectUris: ["https://console.test/api/auth/callback/microsoft-entra-id"],
    });
    expect(fixture.clients[0]?.redirect_uris).toContain("https://console.test/api/auth/callback/microsoft-entra-id");
  });
});

describe("isRegisteredRedirectUri", () => {
  const client = loadFixture().clients[0]!;
  it.each([
    ["http://localhost:3000/api/auth/callback/microsoft-entra-id", true],
    ["http://localhost:51234/api/auth/callback/microsoft-entra-id", true],
    ["http://localhost/api/auth/callback/microsoft-entra-id", true],
    ["http://127.0.0.1:3000/api/auth/callback/microsoft-entra-id", false],
    ["https://localhost:3000/api/auth/callback/microsoft-entra-id", false],
    ["http://localhost:3000/api/auth/callback/microsoft-entra-id/", false],
    ["http://localhost:3000/api/auth/callback/MICROSOFT-ENTRA-ID", false],
    ["http://localhost:3000/api/auth/callback/microsoft-entra-id?x=1", false],
    ["http://localhost:3000/api/auth/callback/microsoft-entra-id#x", false],
    ["not a url", false],
  ])("%s -> %s", (uri, expected) => {
    expect(isRegisteredRedirectUri(client, uri)).toBe(expected);
  });

  it("matches non-loopback URIs exactly, port included", () => {
    const https = { ...client, redirect_uris: ["https://console.test:8443/cb"] };
    expect(isRegisteredRedirectUri(https, "https://console.test:8443/cb")).toBe(true);
    expect(isRegisteredRedirectUri(https, "https://console.test:9443/cb")).toBe(false);
  });
});

describe("ensureSelfSignedCertificate", () => {
  it("creates a localhost certificate once and reuses it while valid", async () => {
    const dir = path.join(certDirForTests(), "nested");
    const first = await ensureSelfSignedCertificate(dir);
    expect(existsSync(first.certPath)).toBe(true);
    const mtime = statSync(first.certPath).mtimeMs;
    const second = await ensureSelfSignedCertificate(dir);
    expect(second.cert).toBe(first.cert);
    expect(statSync(second.certPath).mtimeMs).toBe(mtime);
    rmSync(first.keyPath);
    const third = await ensureSelfSignedCertificate(dir);
    expect(third.cert).not.toBe(first.cert);
  });
});
