import { expect, test } from "@playwright/test";
import { logIn, PASSWORD } from "./fixtures";
import { SEED } from "./seed-data";

// A team of its own with single sign-on active, a token issued through the console API, and a few SCIM requests as
// Entra would make
// them: the health region counts them, the log filters to errors and a row expands to its bodies.
test("an Administrator sees provisioning health, filters the log to errors and expands a request", async ({
  page,
  baseURL,
}) => {
  await logIn(page, SEED.health.adminEmail, PASSWORD);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/settings/team/settings");
  const teamId = (
    await page
      .getByText(/Team ID /)
      .first()
      .textContent()
  )?.match(/Team ID (\S+)/)?.[1];
  expect(teamId).toBeTruthy();
  const issued = await page.request.post(`/api/teams/${teamId}/scim-tokens`, {
    data: { name: "Entra", expiresInDays: 10 },
    headers: { origin: baseURL! },
  });
  expect(issued.status()).toBe(201);
  const { secret } = (await issued.json()) as { secret: string };
  const headers = { authorization: `Bearer ${secret}`, "content-type": "application/scim+json" };
  const user = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "ann@contoso.com",
    active: true,
    name: { givenName: "Ann", familyName: "Lee" },
  };

  // Entra's Test Connection, a create, a duplicate create and a read of an unknown id.
  expect(
    (
      await page.request.get(
        `/api/scim/v2/Users?filter=${encodeURIComponent('userName eq "0f8fad5b-d9cb-469f-a165-70867728950e"')}`,
        { headers },
      )
    ).status(),
  ).toBe(200);
  expect((await page.request.post("/api/scim/v2/Users", { headers, data: user })).status()).toBe(201);
  expect((await page.request.post("/api/scim/v2/Users", { headers, data: user })).status()).toBe(409);
  expect(
    (await page.request.get("/api/scim/v2/Users/00000000-0000-4000-8000-000000000000", { headers })).status(),
  ).toBe(404);

  await page.goto("/settings/team/provisioning");
  const health = page.getByRole("region", { name: "Provisioning health" });
  const value = (label: string) =>
    health
      .locator("div", { has: page.getByRole("link", { name: label, exact: true }) })
      .locator("dd")
      .first();
  // The log is written in the background just after each answer: reload until the last one is in.
  await expect(async () => {
    await page.reload();
    await expect(value("Requests in the last 24 h")).toHaveText("4", { timeout: 1000 });
  }).toPass();
  await expect(value("Failures in the last 24 h")).toHaveText("Warning: 2 (50 %)"); // over the 40 % quarantine rate;
  await expect(value("Last request from Microsoft Entra ID")).toHaveText("less than a minute ago");
  await expect(value("Last Test Connection")).toHaveText("less than a minute ago");
  await expect(value("Tokens expiring within 30 days")).toHaveText("Warning: 1");
  await expect(health).toContainText("more than 40 %");

  const log = page.getByRole("table", { name: "Provisioning log" });
  await expect(log.getByRole("link", { name: "ann@contoso.com" }).first()).toBeVisible();
  await expect(log.getByRole("row")).toHaveCount(5);

  await page.getByLabel("Outcome").selectOption({ label: "Errors only" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/outcome=errors/);
  await expect(log.getByRole("row")).toHaveCount(3);
  const duplicate = log.getByRole("row").filter({ hasText: "409" });
  await duplicate.getByText("Request and response").click();
  await expect(duplicate.locator("pre").first()).toContainText('"userName": "ann@contoso.com"');
  await expect(duplicate.locator("pre").nth(1)).toContainText("uniqueness");

  // The same filter as CSV, for Administrators, never cached.
  const csv = await page.request.get(`/api/teams/${teamId}/provisioning-log?outcome=errors&format=csv`);
  expect(csv.headers()["cache-control"]).toBe("no-store");
  expect((await csv.text()).trimEnd().split("\r\n")).toHaveLength(3);
});

test("Team > Settings shows the compact provisioning health above the Provisioning card once single sign-on is active", async ({
  page,
}) => {
  await logIn(page, SEED.coho.adminEmail, PASSWORD);
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  await page.goto("/settings/team/settings");
  const health = page.getByRole("group", { name: "Provisioning health" });
  await expect(health.getByRole("link", { name: "Requests in the last 24 h" })).toHaveAttribute(
    "href",
    "/settings/team/provisioning?range=24h",
  );
  await expect(health.getByRole("link", { name: "Failures in the last 24 h" })).toHaveAttribute(
    "href",
    "/settings/team/provisioning?outcome=errors&range=24h",
  );
  await expect(page.getByRole("region", { name: "Provisioning", exact: true }).getByLabel("Tenant URL")).toBeVisible();
});
