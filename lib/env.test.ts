import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const tmp = () => mkdtempSync(path.join(tmpdir(), "sg-env-"));

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
    expect(() => parseEnv({ STOREGATE_DATA_DIR: tmp(), ...vars })).toThrowError(new RegExp(`^Invalid configuration:\\n  ${name}:`));
  });

  it("treats empty values as unset and trims the trailing slash of APP_URL", () => {
    const env = parseEnv({ STOREGATE_DATA_DIR: tmp(), DATABASE_URL: "", APP_URL: "https://sg.example.com/" });
    expect(env.databaseUrl).toBeUndefined();
    expect(env.appUrl).toBe("https://sg.example.com");
  });
});
