export const SEED = {
  password: "Sturdy-Passw0rd",
  idpPassword: "Passw0rd!",
  activation: {
    tenantId: "0a1e2c3d-0001-4a5b-8c6d-7e8f90a1b2c3",
    admin: "anna.admin@alpineskihouse.onmicrosoft.com",
    nonAdmin: "nick.nonadmin@alpineskihouse.onmicrosoft.com",
  },
  cancel: { admin: "bea.admin@blueyonder.onmicrosoft.com" },
  coho: {
    tenantId: "0a1e2c3d-0003-4a5b-8c6d-7e8f90a1b2c3",
    adminEmail: "admin@coho.example",
    idpAdmin: "cole.admin@cohowinery.onmicrosoft.com",
  },
  datum: {
    tenantId: "0a1e2c3d-0004-4a5b-8c6d-7e8f90a1b2c3",
    adminEmail: "admin@datum.example",
    provisioned: [
      { name: "Alice Provisioned", userName: "alice@adatum.onmicrosoft.com", active: true },
      { name: "Dave Disabled", userName: "dave@adatum.onmicrosoft.com", active: false },
    ],
    unprovisioned: "carol@adatum.onmicrosoft.com",
  },
  // Bound to a tenant with no sign-in users: only provisioning (SCIM) is used, by the members directory tests.
  members: { tenantId: "0a1e2c3d-0009-4a5b-8c6d-7e8f90a1b2c3", adminEmail: "admin@members.example" },
  health: { tenantId: "0a1e2c3d-0008-4a5b-8c6d-7e8f90a1b2c3", adminEmail: "admin@northwind.example" },
  // Its own team for the provisioning check test, whose Members and Groups pages must not change.
  check: {
    tenantId: "0a1e2c3d-000a-4a5b-8c6d-7e8f90a1b2c3",
    adminEmail: "admin@tailspin.example",
    member: { name: "Tara Provisioned", userName: "tara@tailspin.onmicrosoft.com" },
    group: "Tailspin Pilots",
  },
  personal: "pat.personal@outlook.com",
  switchTenants: {
    first: {
      tenantId: "0a1e2c3d-0006-4a5b-8c6d-7e8f90a1b2c3",
      name: "Wingtip Toys",
      domain: "wingtiptoys.onmicrosoft.com",
      admin: "wanda.admin@wingtiptoys.onmicrosoft.com",
    },
    second: {
      tenantId: "0a1e2c3d-0007-4a5b-8c6d-7e8f90a1b2c3",
      name: "Litware",
      domain: "litware.onmicrosoft.com",
      admin: "lia.admin@litware.onmicrosoft.com",
    },
  },
  journey: {
    tenantId: "0a1e2c3d-0005-4a5b-8c6d-7e8f90a1b2c3",
    admin: "fiona.admin@fourthcoffee.onmicrosoft.com",
    member: {
      oid: "a0000005-0000-4000-8000-000000000002",
      userName: "gary.barista@fourthcoffee.onmicrosoft.com",
      givenName: "Gary",
      familyName: "Barista",
    },
  },
} as const;
