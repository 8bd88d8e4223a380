import { expect, test, type Page } from "@playwright/test";
import { generateProvisioningToken, logIn } from "./fixtures";
import { SEED } from "./seed-data";

const suffix = () => Math.random().toString(36).slice(2, 8);

/** A fresh provisioning token of the members team, and a SCIM caller using it. */
async function scimClient(page: Page) {
  const { tenantUrl, token } = await generateProvisioningToken(page);
  return (path: string, method: string, data: unknown) =>
    page.context().request.fetch(`${tenantUrl}${path}`, {
      method,
      data,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    });
}

test.use({ viewport: { width: 390, height: 844 } });

test("no console page is wider than a 390 px phone", async ({ page }) => {
  const id = suffix();
  await logIn(page, SEED.members.adminEmail, SEED.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const scim = await scimClient(page);
  const user = await scim("/Users", "POST", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: `phone.${id}.with.a.rather.long.user.principal.name@members.onmicrosoft.com`,
    externalId: `phone-${id}`,
    active: true,
    displayName: `Phoebe Phone-Width ${id}`,
  });
  expect(user.status()).toBe(201);
  const userId = ((await user.json()) as { id: string }).id;
  const group = await scim("/Groups", "POST", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: `Phone testers ${id}`,
    members: [{ value: userId }],
  });
  expect(group.status()).toBe(201);
  const groupId = ((await group.json()) as { id: string }).id;

  const pages = [
    "/",
    "/settings/team/settings",
    "/settings/team/members",
    `/settings/team/members/${userId}`,
    "/settings/team/groups",
    `/settings/team/groups/${groupId}`,
    "/settings/team/provisioning",
    "/settings/team/audit",
    "/settings/profile",
  ];
  for (const path of pages) {
    await page.goto(path);
    await expect(page.locator("main#content")).toBeVisible();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width} px wide`).toBeLessThanOrEqual(390);
  }
});

test("the first Tab stop skips to the page's content", async ({ page }) => {
  await logIn(page, SEED.members.adminEmail, SEED.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/settings/team/members");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#content")).toBeFocused();
});
