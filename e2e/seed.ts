// Seeds the e2e store before the console's server opens it (the embedded store is single-process):
// teams already bound to stand-in tenants (e2e/entra-fixture.json), with provisioned members.
// Provisioned members are written directly here because they normally arrive through SCIM.
import { existsSync } from "node:fs";
import path from "node:path";
import { closeStore, getDb } from "../lib/db";
import { createTeam } from "../lib/teams/create-team";
import { SEED } from "./seed-data";

async function bindTenant(teamId: string, adminUserId: string, tenantId: string, domain: string) {
  const db = await getDb();
  await db.ssoConnection.create({
    data: {
      teamId,
      tenantId,
      tenantDomain: domain,
      activatedById: adminUserId,
      activatedByName: "Seed",
      activatedAt: new Date(),
    },
  });
}

const coho = await createTeam({
  teamName: "Coho Storegate",
  adminName: "Coho Admin",
  email: SEED.coho.adminEmail,
  password: SEED.password,
});
await bindTenant(coho.teamId, coho.adminUserId, SEED.coho.tenantId, "cohowinery.onmicrosoft.com");

const datum = await createTeam({
  teamName: "Datum Storegate",
  adminName: "Datum Admin",
  email: SEED.datum.adminEmail,
  password: SEED.password,
});
await bindTenant(datum.teamId, datum.adminUserId, SEED.datum.tenantId, "adatum.onmicrosoft.com");
const db = await getDb();
for (const member of SEED.datum.provisioned) {
  await db.user.create({
    data: {
      teamId: datum.teamId,
      name: member.name,
      email: member.userName,
      userName: member.userName,
      active: member.active,
    },
  });
}
// Its own team for the provisioning health test, so that other tests' SCIM requests never change its counts.
const northwind = await createTeam({
  teamName: "Northwind Storegate",
  adminName: "Northwind Admin",
  email: SEED.health.adminEmail,
  password: SEED.password,
});
await bindTenant(northwind.teamId, northwind.adminUserId, SEED.health.tenantId, "northwindtraders.onmicrosoft.com");
const membersTeam = await createTeam({
  teamName: "Members Storegate",
  adminName: "Mira Admin",
  email: SEED.members.adminEmail,
  password: SEED.password,
});
await bindTenant(membersTeam.teamId, membersTeam.adminUserId, SEED.members.tenantId, "members.onmicrosoft.com");
const tailspin = await createTeam({
  teamName: "Tailspin Storegate",
  adminName: "Tailspin Admin",
  email: SEED.check.adminEmail,
  password: SEED.password,
});
await bindTenant(tailspin.teamId, tailspin.adminUserId, SEED.check.tenantId, "tailspin.onmicrosoft.com");
const tara = await db.user.create({
  data: {
    teamId: tailspin.teamId,
    name: SEED.check.member.name,
    email: SEED.check.member.userName,
    userName: SEED.check.member.userName,
  },
  select: { id: true },
});
await db.group.create({
  data: {
    teamId: tailspin.teamId,
    displayName: SEED.check.group,
    displayNameKey: SEED.check.group.toLowerCase(),
    members: { create: { userId: tara.id } },
  },
});
await closeStore();

// Next reads NODE_EXTRA_CA_CERTS once at start: wait for the stand-in's certificate to exist.
const cert = path.join(process.env.E2E_DATA_DIR ?? "", "entra", "localhost-cert.pem");
for (let i = 0; i < 600 && !existsSync(cert); i++) await new Promise((r) => setTimeout(r, 100));
if (!existsSync(cert)) throw new Error(`stand-in certificate ${cert} did not appear`);
