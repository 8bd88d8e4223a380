import { expect, test } from "@playwright/test";
import { signUpTeam } from "./fixtures";

test("an Administrator maps Entra app roles to Storegate roles on Team > Provisioning", async ({ page }) => {
  await signUpTeam(page);
  await page.goto("/settings/team/provisioning");
  const section = page.getByRole("region", { name: "Role mapping" });

  // Out of the box: Administrator -> Administrator, User -> User, default User.
  await expect(section.getByLabel("Entra app role value, row 1")).toHaveValue("Administrator");
  await expect(section.getByLabel("Storegate role for Administrator")).toHaveValue("ADMIN");
  await expect(section.getByLabel("Entra app role value, row 2")).toHaveValue("User");
  await expect(section.getByLabel("Storegate role for User")).toHaveValue("USER");
  await expect(section.getByLabel("Default role for unmapped members")).toHaveValue("USER");
  await expect(section).toContainText("None yet");

  // A value mapped twice (case-insensitively) is refused, naming the row.
  await section.getByRole("button", { name: "Add mapping" }).click();
  await section.getByLabel("Entra app role value, row 3").fill("administrator");
  await section.getByRole("button", { name: "Save role mapping" }).click();
  await expect(section.getByText("“administrator” is mapped twice (values compare case-insensitively)")).toBeVisible();

  await section.getByLabel("Entra app role value, row 3").fill("Storage.Owners");
  await section.getByLabel("Storegate role for Storage.Owners").selectOption({ label: "Administrator" });
  await section.getByRole("button", { name: "Remove mapping for User" }).click();
  await section.getByLabel("Default role for unmapped members").selectOption({ label: "Administrator" });
  await section.getByRole("button", { name: "Save role mapping" }).click();
  await expect(section.getByRole("status")).toContainText("Role mapping saved");

  await page.reload();
  await expect(section.getByLabel("Entra app role value, row 1")).toHaveValue("Administrator");
  await expect(section.getByLabel("Entra app role value, row 2")).toHaveValue("Storage.Owners");
  await expect(section.getByLabel("Storegate role for Storage.Owners")).toHaveValue("ADMIN");
  await expect(section.getByLabel("Entra app role value, row 3")).toHaveCount(0);
  await expect(section.getByLabel("Default role for unmapped members")).toHaveValue("ADMIN");

  await page.goto("/settings/team/settings");
  await expect(
    page
      .getByRole("region", { name: "Audit log" })
      .getByRole("cell", { name: "Changed the provisioning role mapping" }),
  ).toBeVisible();
});
