import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decideDemoIdp, EnvError, parseEnv } from "./env";

const made: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sg-env-"));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("parseEnv", () => {
  it("needs no variables and derives APP_URL from PORT", () => {
    const dir = tmp();
    const env = parseEnv({ STOREGATE_DATA_DIR: dir, PORT: "4123" });
    expect(env.port).toBe(4123);
    expect(env.appUrl).toBe("http://localhost:4123");
    expect(env.pgliteDir).toBe(path.join(dir, "pglite"));
    expect(env.databaseUrl).toBeUndefined();
  });

  it("generates AUTH_SECRET once, private to the owner, and reuses it", () => {
    const dir = tmp();
    const first = parseEnv({ STOREGATE_DATA_DIR: dir }).authSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(parseEnv({ STOREGATE_DATA_DIR: dir }).authSecret).toBe(first);
    expect(readFileSync(path.join(dir, "auth-secret"), "utf8")).toBe(first);
    expect(statSync(path.join(dir, "auth-secret")).mode & 0o077).toBe(0);
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ APP_URL: "console.example.com" }, "APP_URL"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ AUTH_SECRET: "short" }, "AUTH_SECRET"],
  ])("refuses %o naming %s", (vars, name) => {
    expect(() => parseEnv({ STOREGATE_DATA_DIR: tmp(), ...vars })).toThrowError(EnvError);
    expect(() => parseEnv({ STOREGATE_DATA_DIR: tmp(), ...vars })).toThrowError(
      new RegExp(`^Invalid configuration:\\n  ${name}:`),
    );
  });

  it("treats empty values as unset and trims the trailing slash of APP_URL", () => {
    const env = parseEnv({ STOREGATE_DATA_DIR: tmp(), DATABASE_URL: "", APP_URL: "https://sg.example.com/" });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.appUrl).toBe("https://sg.example.com");
  });
});

describe("the demo identity provider", () => {
  const decide = (vars: Record<string, string>) =>
    decideDemoIdp(parseEnv({ STOREGATE_DATA_DIR: tmp(), AUTH_SECRET: "x".repeat(32), ...vars }));

  it("starts for a console on a loopback address with no Entra app", () => {
    expect(decide({})).toEqual({ start: true });
    expect(decide({ APP_URL: "http://127.0.0.1:3000" })).toEqual({ start: true });
  });

  it("refuses a public APP_URL and says why, unless STOREGATE_DEMO_IDP=1", () => {
    const refused = decide({ APP_URL: "https://console.example.com" });
    expect(refused).toMatchObject({ start: false, why: expect.stringContaining("not a loopback address") });
    expect(decide({ APP_URL: "https://console.example.com", STOREGATE_DEMO_IDP: "1" })).toEqual({ start: true });
  });

  it("never starts beside a real Entra app, and STOREGATE_DEMO_IDP=0 turns it off", () => {
    const real = {
      AUTH_MICROSOFT_ENTRA_ID_ID: "6f1e0d5c-0000-4000-8000-000000000001",
      AUTH_MICROSOFT_ENTRA_ID_SECRET: "s",
    };
    expect(decide({ ...real, STOREGATE_DEMO_IDP: "1" })).toMatchObject({ start: false });
    expect(decide({ STOREGATE_DEMO_IDP: "0" })).toEqual({ start: false, why: "STOREGATE_DEMO_IDP=0" });
  });
});
