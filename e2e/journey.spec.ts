import { expect, test, type APIRequestContext } from "@playwright/test";
import { signUpTeam } from "./fixtures";
import { SEED } from "./seed-data";

// The tutorial end to end: sign up, activate SSO with admin consent, copy Tenant URL and Token,
// Entra provisions a user over SCIM, the user signs in with Microsoft, Entra disables them and
// they lose access on their next request.
test("from sign-up to a provisioned member signing in, and losing access when Entra disables them", async ({
  page,
  browser,
}) => {
  await signUpTeam(page, { teamName: "Fourth Coffee Storegate", adminName: "Frida Founder" });

  // 2. Single sign-on: Activate, consent for the organization, back on Settings.
  await page.getByRole("switch", { name: "Single sign-on" }).click();
  await page.getByRole("dialog", { name: "Activate single sign-on" }).getByRole("button", { name: "Activate" }).click();
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await page.getByLabel("Email").fill(SEED.journey.admin);
  await page.getByLabel("Password").fill(SEED.idpPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Consent on behalf of your organization").check();
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("switch", { name: "Single sign-on" })).toHaveAttribute("aria-checked", "true");

  // 3. Tenant URL and Token, as the admin pastes them into Entra.
  const provisioning = page.getByRole("region", { name: "Provisioning" });
  const tenantUrl = await provisioning.getByLabel("Tenant URL").inputValue();
  await provisioning.getByRole("button", { name: "Generate token" }).click();
  await page.getByRole("dialog", { name: "Generate token" }).getByRole("button", { name: "Generate" }).click();
  const secretDialog = page.getByRole("dialog", { name: "Copy your new token now" });
  const token = await secretDialog.getByLabel("New token").inputValue();
  await secretDialog.getByRole("button", { name: "I have copied the token" }).click();

  // 4. Entra's provisioning service: Test Connection, then create the user (externalId <- objectId).
  const entra = page.context().request;
  const scim = (request: APIRequestContext, path: string, method = "GET", data?: unknown) =>
    request.fetch(`${tenantUrl}${path}`, {
      method,
      data,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    });
  const probe = await scim(
    entra,
    `/Users?filter=${encodeURIComponent('userName eq "2f1c6a3e-0b1d-4c55-9b0e-6d1f3a2b4c5d"')}`,
  );
  expect(probe.status()).toBe(200);
  expect((await probe.json()).totalResults).toBe(0);
  const created = await scim(entra, "/Users", "POST", {
    schemas: [
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ],
    externalId: SEED.journey.member.oid,
    userName: SEED.journey.member.userName,
    active: true,
    name: { givenName: SEED.journey.member.givenName, familyName: SEED.journey.member.familyName },
    preferredLanguage: "en-US",
  });
  expect(created.status()).toBe(201);
  const userId = (await created.json()).id as string;
  const group = await scim(entra, "/Groups", "POST", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    externalId: "b2c3d4e5-0000-4000-8000-000000000001",
    displayName: "Baristas",
  });
  expect(group.status()).toBe(201);
  const addMember = await scim(entra, `/Groups/${(await group.json()).id}`, "PATCH", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "Add", path: "members", value: [{ value: userId }] }],
  });
  expect(addMember.status()).toBe(204);

  // The admin sees what Entra did: the member, the group, and the provisioning log.
  await page.goto("/settings/team/members");
  const row = page.getByRole("row", { name: new RegExp(SEED.journey.member.userName) });
  await expect(row).toContainText("Microsoft (provisioned by Entra)");
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Groups" }).click();
  await expect(page.getByRole("row", { name: /Baristas/ })).toContainText("1");
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Provisioning" }).click();
  await expect(page.getByRole("cell", { name: "Create user", exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Add members", exact: true })).toBeVisible();

  // 5. The provisioned person signs in with their work account.
  const member = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  await member.goto("/login");
  await member.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(member.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await member.getByLabel("Email").fill(SEED.journey.member.userName);
  await member.getByLabel("Password").fill(SEED.idpPassword);
  await member.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(member.getByRole("heading", { name: /^Welcome, Gary/ })).toBeVisible();

  // Entra disables them (its legacy string form): their next request is refused, and so is sign-in.
  const disabled = await scim(entra, `/Users/${userId}`, "PATCH", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "Replace", path: "active", value: "False" }],
  });
  expect(disabled.status()).toBe(204);
  await member.reload();
  await expect(member).toHaveURL(/\/login$/);
  await member.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await expect(member).toHaveURL(/\/login\/sso\?error=disabled$/);
});
