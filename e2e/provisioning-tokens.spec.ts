import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { logIn, PASSWORD } from "./fixtures";
import { SEED } from "./seed-data";

// The seeded Coho team has single sign-on active (e2e/seed.ts), so its Settings show Provisioning.
const probe = (request: APIRequestContext, token: string) =>
  request.get(`/api/scim/v2/Users?filter=${encodeURIComponent('userName eq "0f8fad5b-d9cb-469f-a165-70867728950e"')}`, {
    headers: { authorization: `Bearer ${token}` },
  });

async function readSecretAndClose(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog", { name: "Copy your new token now" });
  const secret = await dialog.getByLabel("New token").inputValue();
  expect(secret).toMatch(/^sgp_[0-9A-Za-z]{49}$/);
  await dialog.getByRole("button", { name: "I have copied the token" }).click();
  await expect(dialog).toBeHidden();
  return secret;
}

test("an Administrator copies the Tenant URL, generates a token shown once, rotates it with overlap and revokes it", async ({
  page,
  baseURL,
}) => {
  await logIn(page, SEED.coho.adminEmail, PASSWORD);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/settings/team/settings");
  const provisioning = page.getByRole("region", { name: "Provisioning" });
  await expect(provisioning.getByLabel("Tenant URL")).toHaveValue(`${baseURL}/api/scim/v2`);
  await expect(provisioning.getByRole("button", { name: "Copy Tenant URL" })).toBeVisible();

  await provisioning.getByRole("button", { name: "Generate token" }).click();
  const generate = page.getByRole("dialog", { name: "Generate token" });
  await generate.getByLabel("Token name").fill("Entra production");
  await generate.getByLabel("Expires").selectOption({ label: "In 1 year" });
  await generate.getByRole("button", { name: "Generate" }).click();
  const secret = await readSecretAndClose(page);

  const row = page.getByRole("row", { name: `Token Entra production ending ${secret.slice(-4)}` });
  await expect(row).toContainText("Active");
  await expect(page.locator("body")).not.toContainText(secret);
  expect((await probe(page.request, secret)).status()).toBe(200);
  await page.reload();
  await expect(page.locator("body")).not.toContainText(secret);

  await row.getByRole("button", { name: "Rotate Entra production" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate token" });
  await rotate.getByLabel("Keep the old token working for").selectOption({ label: "24 hours" });
  await rotate.getByRole("button", { name: "Rotate" }).click();
  const replacement = await readSecretAndClose(page);
  await expect(row).toContainText("Rotated, still valid");
  expect((await probe(page.request, secret)).status()).toBe(200);
  expect((await probe(page.request, replacement)).status()).toBe(200);

  const newRow = page.getByRole("row", { name: `Token Entra production ending ${replacement.slice(-4)}` });
  await newRow.getByRole("button", { name: "Revoke Entra production" }).click();
  await page.getByRole("dialog", { name: "Revoke token?" }).getByRole("button", { name: "Revoke" }).click();
  await expect(newRow).toContainText("Revoked");
  const refused = await probe(page.request, replacement);
  expect(refused.status()).toBe(401);
  expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer/);

  const audit = page.getByRole("region", { name: "Audit log" });
  for (const what of [
    "Generated provisioning token “Entra production”",
    "Rotated provisioning token “Entra production”",
    "Revoked provisioning token “Entra production”",
  ]) {
    await expect(audit.getByRole("cell", { name: what }).first()).toBeVisible();
  }
  await expect(audit).not.toContainText(secret.slice(4));
  await expect(audit).not.toContainText(replacement.slice(4));
});

test("a token name is required and an expiry is chosen explicitly", async ({ page }) => {
  await logIn(page, SEED.coho.adminEmail, PASSWORD);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/settings/team/settings");
  await page.getByRole("button", { name: "Generate token" }).click();
  const generate = page.getByRole("dialog", { name: "Generate token" });
  await expect(generate.getByLabel("Expires")).toHaveValue("365");
  await generate.getByLabel("Token name").fill("   ");
  await generate.getByRole("button", { name: "Generate" }).click();
  await expect(generate.getByText("Enter a name for the token.")).toBeVisible();
  await expect(page.getByRole("dialog", { name: "Copy your new token now" })).toBeHidden();
});
