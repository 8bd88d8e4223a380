import { expect, test, type Page } from "@playwright/test";
import { logIn, logInNewMember, logOut, PASSWORD, signUpTeam } from "./fixtures";
import { SEED } from "./seed-data";

// Single sign-on against the local Entra stand-in (e2e/entra-fixture.json). Each test uses its
// own tenant, since a tenant can be bound to one team only.

async function entraSignIn(page: Page, username: string) {
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await page.getByLabel("Email").fill(username);
  await page.getByLabel("Password").fill(SEED.idpPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function startActivation(page: Page) {
  await page.goto("/settings/team/settings");
  const sso = page.getByRole("switch", { name: "Single sign-on" });
  await expect(sso).toHaveAttribute("aria-checked", "false");
  await sso.click();
  const dialog = page.getByRole("dialog", { name: "Activate single sign-on" });
  await expect(dialog).toContainText("on behalf of your organization");
  await dialog.getByRole("button", { name: "Activate" }).click();
}

async function consentAsAdmin(page: Page) {
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await page.getByLabel("Consent on behalf of your organization").check();
  await page.getByRole("button", { name: "Accept" }).click();
}

test("an employee who is not an Entra administrator cannot connect the tenant; its administrator then can, stays themselves, and deactivates it", async ({
  page,
}) => {
  const { adminName } = await signUpTeam(page, { teamName: "Alpine Storegate", adminName: "Ada Alpine" });
  await expect(page.getByRole("note", { name: "Demo identity provider" })).toBeVisible();

  // An ordinary member of the tenant can consent for themselves, but that proves nothing.
  await startActivation(page);
  await entraSignIn(page, SEED.activation.nonAdmin);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page).toHaveURL(/\/settings\/team\/settings\?sso_error=not_entra_admin$/);
  await expect(
    page.getByText(
      "Only an administrator of your Microsoft Entra tenant can activate single sign-on. Ask your Entra administrator to sign in here.",
    ),
  ).toBeVisible();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
  await expect(page.getByRole("definition")).toHaveCount(0);
  await expect(
    page.getByRole("region", { name: "Audit log" }).getByRole("cell", {
      name: `Tried to activate single sign-on with Microsoft account ${SEED.activation.nonAdmin}: the Microsoft account is not an administrator of its Entra tenant`,
    }),
  ).toBeVisible();

  let callbackUrl = "";
  page.on("request", (request) => {
    if (request.url().includes("/api/auth/callback/microsoft-entra-id")) callbackUrl = request.url();
  });
  await startActivation(page);
  // The stand-in keeps Nick signed in, as Entra would: switch to the administrator.
  await page.getByRole("link", { name: "Use another account" }).click();
  await entraSignIn(page, SEED.activation.admin);
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await page.getByLabel("Consent on behalf of your organization").check();
  await page.getByRole("button", { name: "Accept" }).click();

  await expect(page).toHaveURL(/\/settings\/team\/settings\?sso=activated$/);
  await expect(page.getByText("Single sign-on is active.", { exact: false })).toBeVisible();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "true");
  const connection = page.getByRole("definition").filter({ hasText: SEED.activation.tenantId });
  await expect(connection).toBeVisible();
  await expect(
    page.getByRole("definition").filter({ hasText: "Alpine Ski House · alpineskihouse.onmicrosoft.com" }),
  ).toBeVisible();
  await expect(page.getByText(new RegExp(`${adminName} on `))).toBeVisible();
  await expect(page.getByText(`Anna Admin (${SEED.activation.admin})`)).toBeVisible();
  // Still signed in to Storegate as the same Administrator, not as the Entra account.
  await page.getByRole("button", { name: "User menu" }).click();
  await expect(page.getByText(adminName, { exact: true }).first()).toBeVisible();
  await page.keyboard.press("Escape");

  await page.getByRole("switch", { name: "Single sign-on" }).click();
  const dialog = page.getByRole("dialog", { name: "Deactivate single sign-on?" });
  await expect(dialog).toContainText("requests with your SCIM tokens are refused until single sign-on is active again");
  await dialog.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
  await expect(page.getByText(/^Deactivated on /)).toBeVisible();

  // Replaying the consent callback (code and state already used) does not re-activate anything.
  expect(callbackUrl).toContain("code=");
  await page.goto(callbackUrl);
  await page.goto("/settings/team/settings");
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
  const audit = page.getByRole("region", { name: "Audit log" });
  await expect(
    audit.getByRole("cell", {
      name: `Activated single sign-on for tenant Alpine Ski House with Microsoft account ${SEED.activation.admin}`,
      exact: true,
    }),
  ).toHaveCount(1);
  await expect(
    audit.getByRole("cell", { name: /^Deactivated single sign-on for tenant Alpine Ski House/ }),
  ).toBeVisible();
});

test("cancelling at Microsoft's consent prompt brings the admin back with a message and nothing bound", async ({
  page,
}) => {
  await signUpTeam(page, { teamName: "Blue Storegate" });
  await startActivation(page);
  await entraSignIn(page, SEED.cancel.admin);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/settings\/team\/settings\?sso_error=access_denied$/);
  await expect(
    page.getByText("Consent was cancelled in Microsoft Entra ID, so single sign-on was not activated."),
  ).toBeVisible();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
  await expect(page.getByRole("definition")).toHaveCount(0);
});

test("a tenant already bound to another team is refused", async ({ page }) => {
  await signUpTeam(page, { teamName: "Copycat Storegate" });
  await startActivation(page);
  await entraSignIn(page, SEED.coho.idpAdmin);
  await page.getByLabel("Consent on behalf of your organization").check();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page).toHaveURL(/sso_error=tenant_bound_elsewhere$/);
  await expect(
    page.getByText("This Microsoft Entra tenant is already connected to another Storegate team."),
  ).toBeVisible();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
});

test("a User cannot activate single sign-on, in the page or through the route", async ({ page, browser }) => {
  await signUpTeam(page, { teamName: "Guarded Storegate" });
  const teamId = (await page.getByText(/Team ID /).textContent())!.split("Team ID ")[1]!.trim();
  const { member } = await logInNewMember(page, browser);
  await member.goto("/settings/team/settings");
  await expect(member.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  await expect(member.getByRole("switch", { name: "Single sign-on" })).toHaveCount(0);
  const origin = new URL(member.url()).origin;
  expect((await member.request.post(`/api/teams/${teamId}/sso/activation`, { headers: { origin } })).status()).toBe(
    403,
  );
  expect((await member.request.delete(`/api/teams/${teamId}/sso`, { headers: { origin } })).status()).toBe(403);
  // The Administrator's own browser, but a cross-site request: refused by the Origin check.
  expect(
    (
      await page.request.post(`/api/teams/${teamId}/sso/activation`, { headers: { origin: "https://evil.example" } })
    ).status(),
  ).toBe(403);
  await page.goto("/settings/team/settings");
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
});

test("provisioned members sign in with Microsoft; unprovisioned, disabled and personal accounts are refused", async ({
  browser,
}) => {
  // A fresh browser per person, as each has their own Microsoft session.
  async function signInWithMicrosoft(username: string) {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await entraSignIn(page, username);
    await page.getByRole("button", { name: "Accept" }).click();
    return page;
  }

  // Carol's email claim is set to Alice's address: never used to link an account (nOAuth).
  const carol = await signInWithMicrosoft(SEED.datum.unprovisioned);
  await expect(carol).toHaveURL(/\/login\/sso\?error=not_provisioned$/);
  await expect(
    carol.getByText("Ask your administrator to assign you to the Storegate application in Microsoft Entra ID.", {
      exact: false,
    }),
  ).toBeVisible();
  await carol.goto("/");
  await expect(carol).toHaveURL(/\/login$/);

  const dave = await signInWithMicrosoft(SEED.datum.provisioned[1].userName);
  await expect(dave).toHaveURL(/\/login\/sso\?error=disabled$/);
  await expect(dave.getByText("Your Storegate account is disabled.")).toBeVisible();

  const pat = await signInWithMicrosoft(SEED.personal);
  await expect(pat).toHaveURL(/\/login\/sso\?error=personal_account$/);

  const alice = await signInWithMicrosoft(SEED.datum.provisioned[0].userName);
  await expect(alice.getByRole("heading", { name: "Welcome, Alice Provisioned" })).toBeVisible();
  await alice.goto("/settings/team/settings");
  await expect(alice.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  await logOut(alice);
});

test("Administrators keep password sign-in as a break-glass while SSO is on", async ({ page }) => {
  await logIn(page, SEED.datum.adminEmail, PASSWORD);
  await expect(page.getByRole("heading", { name: "Welcome, Datum Admin" })).toBeVisible();
});

test("a forged or missing state at the callback binds nothing", async ({ page }) => {
  await signUpTeam(page, { teamName: "Forgery Storegate" });
  await startActivation(page);
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  for (const query of ["code=stolen&state=forged", "code=stolen"]) {
    await page.goto(`/api/auth/callback/microsoft-entra-id?${query}`);
    await page.goto("/settings/team/settings");
    await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
    await expect(page.getByRole("definition")).toHaveCount(0);
  }
});

test("a connected tenant never changes silently: another tenant is refused until the Administrator disconnects, then it connects", async ({
  page,
}) => {
  const { first, second } = SEED.switchTenants;
  await signUpTeam(page, { teamName: "Switching Storegate" });
  await startActivation(page);
  await entraSignIn(page, first.admin);
  await consentAsAdmin(page);
  await expect(page).toHaveURL(/sso=activated$/);

  // A token exists; its one-time dialog does not close on Escape without asking.
  await page.getByRole("button", { name: "Generate token" }).click();
  await page.getByRole("dialog", { name: "Generate token" }).getByRole("button", { name: "Generate" }).click();
  const secretDialog = page.getByRole("dialog", { name: "Copy your new token now" });
  await expect(secretDialog.getByLabel("New token")).toHaveValue(/^sgp_/);
  await page.keyboard.press("Escape");
  await expect(secretDialog).toBeVisible();
  await expect(secretDialog.getByText("You will not see this token again. Close anyway?")).toBeVisible();
  await secretDialog.getByRole("button", { name: "Keep it open" }).click();
  await expect(secretDialog.getByText("You will not see this token again.")).toHaveCount(0);
  await secretDialog.getByRole("button", { name: "I have copied the token" }).click();
  await expect(secretDialog).toBeHidden();

  // Switch off, then try to activate with another tenant's administrator: refused, naming the bound tenant.
  await page.getByRole("switch", { name: "Single sign-on" }).click();
  await page
    .getByRole("dialog", { name: "Deactivate single sign-on?" })
    .getByRole("button", { name: "Deactivate" })
    .click();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "false");
  // With SSO off the token stays listed and revocable, but no new one can be generated.
  await expect(page.getByRole("row", { name: /^Token Microsoft Entra ID ending / })).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate token" })).toBeDisabled();
  await startActivation(page);
  await page.getByRole("link", { name: "Use another account" }).click();
  await entraSignIn(page, second.admin);
  await consentAsAdmin(page);
  await expect(page).toHaveURL(/sso_error=tenant_change_requires_disconnect$/);
  await expect(
    page.getByText(
      `This team is connected to the Microsoft Entra tenant ${first.domain}. To use another tenant, disconnect that one first`,
    ),
  ).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: first.tenantId })).toBeVisible();

  await page.getByRole("button", { name: "Disconnect tenant" }).click();
  const confirm = page.getByRole("dialog", { name: `Disconnect ${first.domain}?` });
  await expect(confirm).toContainText(first.name);
  await expect(confirm).toContainText("Every provisioning token is revoked for good");
  await confirm.getByRole("button", { name: "Disconnect tenant" }).click();
  await expect(page).toHaveURL(/sso=disconnected$/);
  await expect(page.getByText("The Microsoft Entra tenant is disconnected")).toBeVisible();
  await expect(page.getByRole("definition")).toHaveCount(0);
  await expect(
    page.getByRole("region", { name: "Audit log" }).getByRole("cell", {
      name: `Disconnected tenant ${first.name}: revoked 1 token(s), ended 0 Microsoft sign-in session(s), unlinked 0 member(s)`,
    }),
  ).toBeVisible();

  await startActivation(page);
  await consentAsAdmin(page);
  await expect(page).toHaveURL(/sso=activated$/);
  await expect(page.getByRole("definition").filter({ hasText: second.tenantId })).toBeVisible();
  await expect(page.getByText(`Lia Admin (${second.admin})`)).toBeVisible();
});
