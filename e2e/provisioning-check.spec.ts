import { expect, test, type Page } from "@playwright/test";
import { logIn, PASSWORD } from "./fixtures";
import { SEED } from "./seed-data";

const STEPS = [
  "Test Connection: users",
  "Test Connection: groups",
  "Create user",
  "Find user",
  "Update user",
  "Disable user",
  "Re-enable user",
  "Create group",
  "Add member",
  "Remove member",
  "Delete user",
  "Delete group",
];

async function listing(page: Page, path: string): Promise<string> {
  await page.goto(path);
  const main = page.getByRole("main");
  await expect(main).toBeVisible();
  return (await main.innerText()).replace(/\d+ (seconds?|minutes?|hours?) ago|less than a minute ago/g, "");
}

test("an Administrator runs the provisioning check: every step passes and the team's members and groups stay as they were", async ({
  page,
}) => {
  await logIn(page, SEED.check.adminEmail, PASSWORD);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const members = await listing(page, "/settings/team/members");
  const groups = await listing(page, "/settings/team/groups");
  expect(members).toContain(SEED.check.member.name);
  expect(groups).toContain(SEED.check.group);

  await page.goto("/settings/team/provisioning");
  const health = page.getByRole("region", { name: "Provisioning health" });
  const lastCheck = health
    .locator("div", { has: page.getByRole("link", { name: "Last provisioning check", exact: true }) })
    .locator("dd")
    .first();
  await expect(lastCheck).toHaveText("Never");
  const card = page.getByRole("region", { name: "Provisioning check" });
  await card.getByRole("button", { name: "Run provisioning check" }).click();
  await expect(card.getByRole("status")).toContainText(`Passed: ${STEPS.length} of ${STEPS.length} steps passed`, {
    timeout: 30_000,
  });
  const steps = card.getByRole("list", { name: "Provisioning check steps" }).getByRole("listitem");
  await expect(steps).toHaveCount(STEPS.length);
  for (const [i, name] of STEPS.entries()) await expect(steps.nth(i)).toContainText(`✓ Passed${name}`);
  await expect(lastCheck).toHaveText("passed less than a minute ago");

  expect(await listing(page, "/settings/team/members")).toBe(members);
  expect(await listing(page, "/settings/team/groups")).toBe(groups);
});
