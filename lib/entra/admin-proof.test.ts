import { describe, expect, it } from "vitest";
import { CONSENT_ADMIN_ROLES, proveTenantAdministrator } from "./admin-proof";
import type { EntraIdentity } from "./verify-id-token";

const TENANT = "361de6c0-ad37-4fa8-be14-db3f7c631ea1";
const identity = (roleTemplateIds: string[], tid = TENANT): EntraIdentity => ({
  tid,
  oid: "9a101327-fb5a-4ab8-b69f-a4c06b980792",
  preferredUsername: "adele@contoso.onmicrosoft.com",
  name: "Adele",
  roleTemplateIds,
});

describe("proof of a tenant administrator", () => {
  it.each(Object.entries(CONSENT_ADMIN_ROLES))("accepts %s (%s)", (id, role) => {
    expect(proveTenantAdministrator(identity(["b79fbf4d-3ef9-4689-8143-76b194e85509", id]), TENANT)).toEqual({
      ok: true,
      role,
    });
  });

  it.each([
    ["no wids claim", []],
    ["the default user role only", ["b79fbf4d-3ef9-4689-8143-76b194e85509"]],
    ["User Administrator, which cannot grant tenant-wide consent", ["fe930be7-5e62-47db-91af-98c3a49a38b1"]],
    ["Global Reader", ["f2ef992c-3afb-46b9-b7cf-a126ee74c451"]],
    ["Authentication Administrator", ["c4e39bd9-1100-46d3-8c65-fb160da0071f"]],
  ])("refuses %s", (_label, ids) => {
    expect(proveTenantAdministrator(identity(ids), TENANT)).toEqual({ ok: false });
  });

  it("refuses a proof issued by another tenant", () => {
    const other = identity(["62e90394-69f5-4237-9190-012177145e10"], "1bfcffd0-765f-4fda-a416-52b6b62864a4");
    expect(proveTenantAdministrator(other, TENANT)).toEqual({ ok: false });
  });
});
