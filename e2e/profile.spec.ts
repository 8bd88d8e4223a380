import { expect, test } from "@playwright/test";
import { logIn, logInNewMember, PASSWORD, signUpTeam } from "./fixtures";

// Profile: a member renames themselves, and changing a password ends their other sessions while
// the device they changed it on stays signed in.

test("a member changes their name, and the team sees the new name", async ({ page, browser }) => {
  await signUpTeam(page);
  const { member } = await logInNewMember(page, browser, "Uma User");
  await member.goto("/settings/profile");
  const form = member.getByRole("form", { name: "Your name" });
  await form.getByLabel("Name").fill("   ");
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");

  await form.getByLabel("Name").fill("Uma Renamed");
  await form.getByRole("button", { name: "Save name" }).click();
  await expect(form.getByText("Name saved.")).toBeVisible();
  await member.reload();
  await expect(member.getByRole("region", { name: "Profile" }).getByText("Uma Renamed", { exact: true })).toBeVisible();

  await page.goto("/settings/team/members");
  await expect(page.getByRole("link", { name: "Uma Renamed" })).toBeVisible();
});

test("changing a password signs the member out on their other devices, keeps this one, and the old password stops working", async ({
  page,
  browser,
}) => {
  const { email } = await signUpTeam(page);
  const laptop = await browser.newPage();
  await logIn(laptop, email);
  await expect(laptop.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  await page.goto("/settings/profile");
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("Not-my-passw0rd");
  await form.getByLabel("New password").fill("Brand-New-Passw0rd");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  // A wrong current password changed nothing: the other device is still signed in.
  await laptop.reload();
  await expect(laptop.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  const retry = page.getByRole("form", { name: "Change password" });
  await retry.getByLabel("Current password").fill(PASSWORD);
  await retry.getByLabel("New password").fill("Brand-New-Passw0rd");
  await retry.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. 1 other session was signed out.")).toBeVisible();

  await laptop.reload();
  await expect(laptop).toHaveURL(/\/login/);
  await page.goto("/settings/team/settings");
  await expect(page.getByLabel("Team name")).toBeVisible();

  await logIn(laptop, email, PASSWORD);
  await expect(laptop.getByRole("alert").filter({ hasText: /\S/ })).toHaveText("Invalid email or password.");
  await logIn(laptop, email, "Brand-New-Passw0rd");
  await expect(laptop.getByRole("heading", { name: /Welcome/ })).toBeVisible();
});
