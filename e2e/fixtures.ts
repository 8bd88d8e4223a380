import { expect, type Browser, type Page } from "@playwright/test";

export const PASSWORD = "Sturdy-Passw0rd";

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Signs up a brand-new team through the UI; each test seeds its own, so tests run in parallel. */
export async function signUpTeam(page: Page, { teamName = "Contoso", adminName = "Ada Admin" } = {}) {
  const email = uniqueEmail("admin");
  await page.goto("/signup");
  await page.getByLabel("Company or team name").fill(teamName);
  await page.getByLabel("Your name").fill(adminName);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(/\/settings\/team\/settings$/);
  return { email, teamName, adminName };
}

export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function logOut(page: Page) {
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function addMember(
  page: Page,
  { name, email, role = "User" }: { name: string; email: string; role?: "User" | "Administrator" },
) {
  await page.goto("/settings/team/members");
  await page.getByRole("button", { name: "Add member" }).click();
  const form = page.getByRole("form", { name: "Add member" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Role").selectOption({ label: role });
  await form.getByLabel("Initial password").fill(PASSWORD);
  await form.getByRole("button", { name: "Save member" }).click();
  await expect(page.getByRole("cell", { name: email })).toBeVisible();
}

/** The signed-in Administrator adds a User; that User logs in in a browser of their own. */
export async function logInNewMember(admin: Page, browser: Browser, name = "Uma User") {
  const email = uniqueEmail("uma");
  await addMember(admin, { name, email });
  const member = await browser.newPage();
  await logIn(member, email);
  await expect(member.getByRole("heading", { name: `Welcome, ${name}` })).toBeVisible();
  return { member, email };
}

/** The team's Tenant URL and a fresh provisioning token, generated in Settings as the admin pastes them into Entra. */
export async function generateProvisioningToken(page: Page): Promise<{ tenantUrl: string; token: string }> {
  await page.goto("/settings/team/settings");
  const provisioning = page.getByRole("region", { name: "Provisioning" });
  const tenantUrl = await provisioning.getByLabel("Tenant URL").inputValue();
  await provisioning.getByRole("button", { name: "Generate token" }).click();
  await page.getByRole("dialog", { name: "Generate token" }).getByRole("button", { name: "Generate" }).click();
  const secretDialog = page.getByRole("dialog", { name: "Copy your new token now" });
  const token = await secretDialog.getByLabel("New token").inputValue();
  await secretDialog.getByRole("button", { name: "I have copied the token" }).click();
  return { tenantUrl, token };
}
