import { expect, test } from "@playwright/test";
import { logIn, logInNewMember, logOut, PASSWORD, signUpTeam, uniqueEmail } from "./fixtures";

test("an Administrator signs up, finds Team > Settings through the user menu, logs out and in again", async ({
  page,
}) => {
  const { email, teamName } = await signUpTeam(page, { teamName: "Northwind Traders" });

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("link", { name: "Account Settings" }).click();
  await expect(page.getByRole("heading", { name: "Account Settings" })).toBeVisible();
  await page.getByRole("navigation", { name: "Account Settings" }).getByRole("link", { name: "Team" }).click();
  await page.getByRole("navigation", { name: "Team" }).getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page).toHaveURL(/\/settings\/team\/settings$/);
  await expect(page.getByLabel("Team name")).toHaveValue(teamName);
  await expect(page.getByRole("region", { name: "Single sign-on" })).toBeVisible();

  await logOut(page);
  await page.goto("/settings/team/settings");
  await expect(page).toHaveURL(/\/login/);

  await logIn(page, email.toUpperCase());
  await expect(page.getByRole("heading", { name: "Welcome, Ada Admin" })).toBeVisible();
});

test("sign-up names each weak or empty field and keeps what was typed", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Work email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText("Enter your company or team name.")).toBeVisible();
  await expect(page.getByText("Enter a name.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address, like name@company.com.")).toBeVisible();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByLabel("Work email")).toHaveValue("not-an-email");
  await expect(page).toHaveURL(/\/signup$/);
});

test("sign-up with an email already in use is refused and creates nothing", async ({ page, browser }) => {
  const { email } = await signUpTeam(page);
  const other = await browser.newPage();
  await other.goto("/signup");
  await other.getByLabel("Company or team name").fill("Second Team");
  await other.getByLabel("Your name").fill("Mallory");
  await other.getByLabel("Work email").fill(email);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Create team" }).click();
  await expect(other.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(
    "An account with this email already exists.",
  );
  await expect(other.getByText("An account with this email already exists. Log in instead.")).toBeVisible();
  await expect(other).toHaveURL(/\/signup$/);
  // The original account still works and its team has one member.
  await page.goto("/settings/team/members");
  await expect(page.getByText("1 member in your team.")).toBeVisible();
});

test("a wrong password gets one generic message", async ({ page, browser }) => {
  const { email } = await signUpTeam(page);
  const other = await browser.newPage();
  await logIn(other, email, "Wrong-Passw0rd");
  await expect(other.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Invalid email or password.");
  await logIn(other, uniqueEmail("nobody"), PASSWORD);
  await expect(other.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Invalid email or password.");
  await expect(other).toHaveURL(/\/login/);
});

test("a User is refused the admin pages, and a disabled User loses access on their next request", async ({
  page,
  browser,
}) => {
  await signUpTeam(page);
  const { member, email: memberEmail } = await logInNewMember(page, browser);
  await member.goto("/settings/team/settings");
  await expect(member.getByRole("heading", { name: "Administrators only" })).toBeVisible();
  await expect(member.getByLabel("Team name")).toHaveCount(0);
  for (const path of ["/settings/team/members", "/settings/team/groups"]) {
    await member.goto(path);
    await expect(member.getByRole("heading", { name: "Administrators only" })).toBeVisible();
    await expect(member.getByRole("table")).toHaveCount(0);
  }
  // Account Settings offers a plain User only their own profile; Team leads to their own home page.
  await member.goto("/settings/profile");
  await expect(
    member.getByRole("navigation", { name: "Account Settings" }).getByRole("link", { name: "Team" }),
  ).toHaveCount(0);
  await member.goto("/settings/team");
  await expect(member).toHaveURL(/\/$/);

  await page.getByRole("button", { name: "Disable Uma User" }).click();
  await page.getByRole("dialog", { name: "Disable Uma User?" }).getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("row", { name: /Uma User/ }).getByText("Disabled")).toBeVisible();

  await member.reload();
  await expect(member).toHaveURL(/\/login/);
  await logIn(member, memberEmail);
  await expect(member.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Invalid email or password.");
});

test("unknown pages answer a real 404", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});
