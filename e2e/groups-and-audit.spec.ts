import { expect, test, type Page } from "@playwright/test";
import { addMember, generateProvisioningToken, logIn, signUpTeam, uniqueEmail } from "./fixtures";
import { SEED } from "./seed-data";

const suffix = () => Math.random().toString(36).slice(2, 8);

/** A fresh provisioning token of the members team, and a SCIM caller using it. */
async function scimClient(page: Page) {
  const { tenantUrl, token } = await generateProvisioningToken(page);
  return async (path: string, method: string, data: unknown) => {
    const response = await page.context().request.fetch(`${tenantUrl}${path}`, {
      method,
      data,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    });
    expect(response.status(), `${method} ${path}`).toBeLessThan(300);
    return (await response.json()) as { id: string };
  };
}

const user = (id: string, first: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName: `${first.toLowerCase()}.${id}@members.onmicrosoft.com`,
  externalId: `${first.toLowerCase()}-${id}`,
  active: true,
  displayName: `${first} Grouped ${id}`,
});

test("a group's page lists its members, searchable, and its provisioning history", async ({ page }) => {
  const id = suffix();
  await logIn(page, SEED.members.adminEmail, SEED.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const scim = await scimClient(page);
  const olga = await scim("/Users", "POST", user(id, "Olga"));
  const oscar = await scim("/Users", "POST", user(id, "Oscar"));
  const pia = await scim("/Users", "POST", user(id, "Pia"));
  const group = await scim("/Groups", "POST", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: `Designers ${id}`,
    externalId: `grp-${id}`,
    members: [{ value: olga.id }, { value: oscar.id }, { value: pia.id }],
  });

  await page.goto("/settings/team/groups");
  await page.getByRole("link", { name: `Designers ${id}` }).click();
  await expect(page).toHaveURL(new RegExp(`/settings/team/groups/${group.id}$`));
  await expect(page.getByRole("heading", { name: `Designers ${id}` })).toBeVisible();
  await expect(page.getByText(`grp-${id}`)).toBeVisible();
  const rows = page.getByRole("table", { name: "Group members" }).getByRole("row");
  await expect(rows).toHaveCount(4);

  await page.getByLabel("Search group members").fill(`o`);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=o/);
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText(`Olga Grouped ${id}`);
  await expect(rows.nth(2)).toContainText(`Oscar Grouped ${id}`);

  const history = page.getByRole("region", { name: "Provisioning history" });
  await expect(history.getByRole("cell", { name: "Create group" })).toBeVisible();
  await history.getByRole("link", { name: "Open in the provisioning log" }).click();
  await expect(page).toHaveURL(new RegExp(`/settings/team/provisioning\\?target=${group.id}$`));
  // The log names the group and links back to its page.
  await page
    .getByRole("table", { name: "Provisioning log" })
    .getByRole("link", { name: `Designers ${id}` })
    .first()
    .click();
  await expect(page).toHaveURL(new RegExp(`/settings/team/groups/${group.id}$`));
});

test("an unknown group answers not found", async ({ page }) => {
  await logIn(page, SEED.members.adminEmail, SEED.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const response = await page.goto("/settings/team/groups/00000000-0000-4000-8000-000000000000");
  expect(response?.status()).toBe(404);
});

test("the audit log page names the member an Administrator disabled, and filters by category", async ({ page }) => {
  await signUpTeam(page, { adminName: "Audra Admin" });
  const email = uniqueEmail("dan");
  await addMember(page, { name: "Dan Audited", email });
  await page.getByRole("button", { name: "Disable Dan Audited" }).click();
  await page.getByRole("dialog", { name: "Disable Dan Audited?" }).getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("row", { name: /Dan Audited/ }).getByText("Disabled")).toBeVisible();

  await page.goto("/settings/team/settings");
  await page.getByRole("region", { name: "Audit log" }).getByRole("link", { name: "View all" }).click();
  await expect(page).toHaveURL(/\/settings\/team\/audit$/);
  await expect(page.getByRole("link", { name: "Audit log", exact: true })).toHaveAttribute("aria-current", "page");
  const line = page.getByRole("row", { name: /Disabled Dan Audited/ });
  await expect(line.getByRole("cell", { name: `Member Dan Audited (${email})` })).toBeVisible();
  await expect(line).toContainText("Audra Admin");

  await page.getByLabel("Category").selectOption({ label: "Team" });
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page).toHaveURL(/[?&]category=team/);
  await expect(page.getByRole("cell", { name: "Created the team" })).toBeVisible();
  await expect(page.getByRole("row", { name: /Disabled Dan Audited/ })).toHaveCount(0);
});
