import { describe, expect, it } from "vitest";
import { HttpClient, runCliOk, useTestApp } from "../../test/support/app-server";

// Password guessing through Auth.js's real credentials endpoint on the built app, behind one
// trusted proxy hop (TRUSTED_PROXIES=1), so X-Forwarded-For's last entry is the client address.
const PASSWORD = "Sturdy-Passw0rd";
const ADA = "ada@contoso.test";
const BOB = "bob@fabrikam.test";

const app = useTestApp((env) => {
  env.TRUSTED_PROXIES = "1";
  runCliOk(env, ["team:create", "--name", "Contoso", "--admin-email", ADA, "--admin-password", PASSWORD]);
  runCliOk(env, ["team:create", "--name", "Fabrikam", "--admin-email", BOB, "--admin-password", PASSWORD]);
});

async function attempt(email: string, password: string, forwardedFor: string): Promise<Response> {
  const client = new HttpClient(app.server.url);
  const { csrfToken } = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  return client.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: app.server.url,
      "x-forwarded-for": forwardedFor,
    },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }),
  });
}

const signedIn = (response: Response) =>
  response.headers.getSetCookie().some((c) => /authjs\.session-token=[^;]/.test(c));

async function expectTooMany(response: Response): Promise<number> {
  expect(response.status).toBe(429);
  const seconds = Number(response.headers.get("retry-after"));
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(await response.json()).toEqual({
    error: {
      code: "rate_limited",
      message: `Too many attempts. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`,
    },
  });
  expect(signedIn(response)).toBe(false);
  return seconds;
}

describe("password sign-in throttle", () => {
  it("refuses an account after five failures, even with the right password, and audits it on the team", async () => {
    const admin = new HttpClient(app.server.url);
    expect(await admin.signIn(ADA, PASSWORD)).toBe(true);

    for (let i = 0; i < 5; i++) {
      const response = await attempt(ADA, `wrong-${i}`, "203.0.113.10");
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/[?&]error=CredentialsSignin&code=credentials$/);
    }
    expect(await expectTooMany(await attempt(ADA, "wrong-5", "203.0.113.10"))).toBe(1);
    // Every further attempt during the pause is refused unchecked and doubles it (from any address).
    for (let i = 0; i < 10; i++) await expectTooMany(await attempt(ADA.toUpperCase(), "wrong", `198.51.100.${i}`));
    const seconds = await expectTooMany(await attempt(ADA, PASSWORD, "203.0.113.10"));
    expect(seconds).toBeGreaterThan(600);
    expect(seconds).toBeLessThanOrEqual(900);

    // Another account from the same address is not affected.
    expect(signedIn(await attempt(BOB, PASSWORD, "203.0.113.10"))).toBe(true);

    // Table cells as rendered (the page's RSC payload repeats the text inside a script).
    const audit = await (await admin.fetch("/settings/team/audit")).text();
    expect(audit.match(/>Wrong password at sign-in for ada@contoso\.test from 203\.0\.113\.10</g)).toHaveLength(6);
    expect(
      audit.match(/>Password sign-in paused for 1 s after repeated failures \(ada@contoso\.test\)</g),
    ).toHaveLength(1);
  });

  it("refuses an address after twenty failures across accounts, and only that address", async () => {
    for (let i = 0; i < 20; i++) {
      expect((await attempt(`nobody-${i}@contoso.test`, "guess", "6.6.6.6, 192.0.2.50")).status).toBe(302);
    }
    expect(await expectTooMany(await attempt("nobody-20@contoso.test", "guess", "192.0.2.50"))).toBe(1);
    await expectTooMany(await attempt(BOB, PASSWORD, "192.0.2.50"));
    // A forged entry on the left changes nothing: the trusted hop wrote the last one.
    await expectTooMany(await attempt(BOB, PASSWORD, "192.0.2.99, 192.0.2.50"));
    expect(signedIn(await attempt(BOB, PASSWORD, "192.0.2.51"))).toBe(true);
  });
});
