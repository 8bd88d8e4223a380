import { expect, test, type Page } from "@playwright/test";
import { logIn, logOut, PASSWORD, signUpTeam } from "./fixtures";

/** Collects every CSP violation the page reports, from the DOM event and from the console. */
function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  void page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  void page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      );
    });
  });
  return violations;
}

test("console pages load and work under the Content-Security-Policy with no violation", async ({ page }) => {
  const violations = watchCspViolations(page);
  await signUpTeam(page, { teamName: "Strict Storegate" });
  const response = await page.goto("/settings/team/settings");
  expect(response?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  // Hydrated and interactive: client navigation and a dialog both work.
  await page.getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL(/\/settings\/team\/members$/);
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByRole("form", { name: "Add member" })).toBeVisible();
  for (const path of ["/settings/team/groups", "/settings/team/provisioning", "/settings/profile", "/"]) {
    await page.goto(path);
    await expect(page.getByRole("button", { name: "User menu" })).toBeVisible();
  }
  await logOut(page);
  expect(violations).toEqual([]);

  // The watcher does see violations, and the policy does its job: markup injected the way an XSS
  // payload would be (an inline event handler) does not run.
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = '<img src="data:," onerror="window.__injected = true">';
    document.body.append(div);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});

test("repeated wrong passwords pause sign-in, and the right password is refused during the pause", async ({
  page,
  browser,
}) => {
  // Seventeen sign-ins through the page, each hashing a password: slow on a loaded CI machine.
  test.setTimeout(180_000);
  const { email } = await signUpTeam(page, { teamName: "Guarded Storegate" });
  const other = await browser.newPage();
  const alert = other.getByRole("alert").filter({ hasText: /\S/ });
  for (let i = 0; i < 5; i++) {
    await logIn(other, email, `Wrong-Passw0rd-${i}`);
    await expect(alert).toHaveText("Invalid email or password.");
  }
  await logIn(other, email, "Wrong-Passw0rd-5");
  await expect(alert).toHaveText("Too many attempts. Try again in 1 second.");
  // Each attempt counts, so the pause keeps growing whether or not the previous one had ended.
  for (let i = 0; i < 10; i++) {
    await logIn(other, email, "Wrong-Passw0rd");
    await expect(alert).toHaveText(/^Too many attempts\. Try again in \d+ seconds?\.$/);
  }
  await logIn(other, email, PASSWORD);
  await expect(alert).toHaveText(/^Too many attempts\. Try again in \d{3} seconds\.$/);
  await expect(other).toHaveURL(/\/login/);
  // The Administrator's existing session is untouched, and the audit log tells them what happened.
  await page.goto("/settings/team/settings");
  const audit = page.getByRole("region", { name: "Audit log" });
  await expect(
    audit.getByRole("cell", { name: `Wrong password at sign-in for ${email}`, exact: true }).first(),
  ).toBeVisible();
  await expect(
    audit.getByRole("cell", {
      name: `Password sign-in paused for 1 s after repeated failures (${email})`,
      exact: true,
    }),
  ).toBeVisible();
});
