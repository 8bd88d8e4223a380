import { expect, test, type Page } from "@playwright/test";
import {
  addMember,
  generateProvisioningToken,
  logIn,
  logInNewMember,
  PASSWORD,
  signUpTeam,
  uniqueEmail,
} from "./fixtures";
import { SEED } from "./seed-data";

const suffix = () => Math.random().toString(36).slice(2, 8);

async function expectNoHorizontalOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

test("search by UPN finds a provisioned member whose page shows Entra's attributes, groups and provisioning history", async ({
  page,
}) => {
  const id = suffix();
  const upn = `kim.${id}@members.onmicrosoft.com`;
  const email = `kim.${id}@members.example`;
  await logIn(page, SEED.members.adminEmail, SEED.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const { tenantUrl, token } = await generateProvisioningToken(page);
  const scim = (path: string, method: string, data: unknown) =>
    page.context().request.fetch(`${tenantUrl}${path}`, {
      method,
      data,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    });

  const created = await scim("/Users", "POST", {
    schemas: [
      "urn:ietf:params:scim:schemas:core:2.0:User",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ],
    userName: upn,
    externalId: `kim-${id}`,
    active: true,
    displayName: `Kim Search ${id}`,
    name: { givenName: "Kim", familyName: "Search" },
    emails: [{ value: email, type: "work", primary: true }],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "Research" },
    "urn:ietf:params:scim:schemas:extension:Storegate:2.0:User:costCode": "CC-7",
  });
  expect(created.status()).toBe(201);
  const userId = (await created.json()).id as string;
  const group = await scim("/Groups", "POST", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: `Researchers ${id}`,
    members: [{ value: userId }],
  });
  expect(group.status()).toBe(201);

  // Search by the start of the UPN, kept in the URL.
  await page.goto("/settings/team/members");
  await page.getByLabel("Search members").fill(`KIM.${id}@members.on`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`[?&]q=KIM.${id}`));
  const rows = page.getByRole("table", { name: "Team members" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText(upn);
  await expect(rows.nth(1)).toContainText("Microsoft (provisioned by Entra)");
  await page.reload();
  await expect(page.getByLabel("Search members")).toHaveValue(`KIM.${id}@members.on`);

  // The member page: attributes as Entra sent them, groups, and what provisioning did.
  await page.getByRole("link", { name: `Kim Search ${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`/settings/team/members/${userId}$`));
  const attributes = page.getByRole("region", { name: "Attributes from Microsoft Entra ID" });
  await expect(attributes).toContainText("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department");
  await expect(attributes).toContainText("Research");
  await expect(attributes).toContainText("urn:ietf:params:scim:schemas:extension:Storegate:2.0:User:costCode");
  await expect(attributes).toContainText("CC-7");
  await expect(page.getByRole("region", { name: "Groups" })).toContainText(`Researchers ${id}`);
  const history = page.getByRole("region", { name: "Provisioning history" });
  await expect(history.getByRole("cell", { name: "Create user", exact: true })).toBeVisible();
  await expect(history.getByRole("cell", { name: "Create group", exact: true })).toHaveCount(0);

  // A password member with the same email is added only after confirming; the UPN tells them apart.
  await page.goto("/settings/team/members");
  await page.getByRole("button", { name: "Add member" }).click();
  const form = page.getByRole("form", { name: "Add member" });
  await form.getByLabel("Name").fill(`Kim Password ${id}`);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Save member" }).click();
  const confirm = page.getByRole("dialog", { name: "Add a second member with this email?" });
  await expect(confirm).toContainText(email);
  await confirm.getByRole("button", { name: "Add anyway" }).click();
  await expect(form).toBeHidden();
  await page.getByLabel("Search members").fill(email);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(rows).toHaveCount(3);
  await expect(page.getByRole("row", { name: new RegExp(`Kim Search ${id}`) })).toContainText(upn);
  await expect(page.getByRole("row", { name: new RegExp(`Kim Password ${id}`) })).toContainText("Password");
});

test("Disable asks in a dialog and can be cancelled", async ({ page }) => {
  await signUpTeam(page);
  const email = uniqueEmail("dan");
  await addMember(page, { name: "Dan Dialog", email });
  const row = page.getByRole("row", { name: /Dan Dialog/ });
  await page.getByRole("button", { name: "Disable Dan Dialog" }).click();
  const dialog = page.getByRole("dialog", { name: "Disable Dan Dialog?" });
  await expect(dialog).toContainText("signed out at once");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText("Active");
  await page.getByRole("button", { name: "Disable Dan Dialog" }).click();
  await dialog.getByRole("button", { name: "Disable" }).click();
  await expect(row.getByText("Disabled")).toBeVisible();
  // Filtered by status, in the URL.
  await page.getByLabel("Status").selectOption({ label: "Disabled" });
  await expect(page).toHaveURL(/[?&]status=disabled/);
  await expect(page.getByRole("table", { name: "Team members" }).getByRole("row")).toHaveCount(2);
});

test("a member who is not an Administrator lands on a page about themselves and can sign out", async ({
  page,
  browser,
}) => {
  await signUpTeam(page);
  const { member, email } = await logInNewMember(page, browser, "Uma User");
  const account = member.getByRole("region", { name: "Your account" });
  await expect(account).toContainText(email);
  await expect(account).toContainText("Password");
  await expect(member.getByRole("region", { name: "Your groups" })).toContainText("You are not in any group.");
  await expect(member.getByRole("link", { name: "Open team settings" })).toHaveCount(0);
  await member.getByRole("button", { name: "Sign out" }).click();
  await expect(member).toHaveURL(/\/login$/);
});

test("the members pages fit a 390 px wide phone", async ({ page, browser }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signUpTeam(page);
  const { member } = await logInNewMember(page, browser, "Pia Phone");
  await page.goto("/settings/team/members");
  await expect(page.getByRole("table", { name: "Team members" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await page.getByRole("link", { name: "Pia Phone" }).click();
  await expect(page.getByRole("region", { name: "Sessions" })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await member.setViewportSize({ width: 390, height: 844 });
  await member.goto("/");
  await expect(member.getByRole("region", { name: "Your account" })).toBeVisible();
  await expectNoHorizontalOverflow(member);
});
