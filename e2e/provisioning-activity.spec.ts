import { expect, test } from "@playwright/test";
import { generateProvisioningToken, logIn } from "./fixtures";
import { SEED } from "./seed-data";

test("the provisioning page charts the last 7 days of requests with a summary in words", async ({ page }) => {
  await logIn(page, SEED.members.adminEmail, SEED.password);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  const { tenantUrl, token } = await generateProvisioningToken(page);
  const headers = { authorization: `Bearer ${token}` };
  expect((await page.context().request.get(`${tenantUrl}/Users?count=1`, { headers })).status()).toBe(200);
  expect(
    (await page.context().request.get(`${tenantUrl}/Users/00000000-0000-4000-8000-000000000000`, { headers })).status(),
  ).toBe(404);

  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/settings/team/provisioning");
  const activity = page.getByRole("region", { name: "Provisioning activity" });
  await expect(activity).toBeVisible();
  const summary =
    /^In the last 7 days: [\d,]+ requests?, [\d,]+ succeeded, [\d,]+ client errors?, [\d,]+ server errors?; busiest hour .+ UTC with [\d,]+ requests?\.$/;
  await expect(activity.getByRole("img", { name: summary })).toBeVisible();
  await expect(activity.getByText(summary)).toBeVisible();
  // The chart itself is drawn (an SVG with bars), not only its description.
  await expect(activity.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(activity.locator(".recharts-bar-rectangle").first()).toBeVisible();
  // Drawn within the Content Security Policy (no inline style attributes in the markup).
  expect(violations).toEqual([]);
});
