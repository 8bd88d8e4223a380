import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

// The consumer (personal Microsoft account) tenant: every MSA user's `tid` is this GUID
// (id-token-claims-reference, `tid`). A work-only product must refuse it.
export const MSA_TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad";

// Scopes the Microsoft identity platform treats as OIDC scopes rather than as permissions on a
// resource (v2-permissions-and-consent, "OpenID Connect scopes").
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

const guidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be a lower-case GUID");

const userSchema = z.object({
  oid: guidSchema,
  preferred_username: z.string().min(3).includes("@"),
  name: z.string().min(1),
  given_name: z.string().min(1).optional(),
  family_name: z.string().min(1).optional(),
  // Entra's Mail attribute is admin-controlled and unverified for users without a mailbox: a
  // fixture user may carry someone else's address on purpose (nOAuth, nOAuth; “Migrate away from using email claims”).
  email: z.email().optional(),
  isAdmin: z.boolean().default(false),
  // Directory role template ids held tenant-wide (the `wids` claim). Defaults: an admin holds
  // Global Administrator, everyone holds the default user role, as in a new tenant.
  directoryRoles: z.array(guidSchema).optional(),
  // Plain text on purpose: these are invented development accounts typed into a local sign-in
  // page, never real credentials. They are compared in constant time all the same.
  password: z.string().min(1),
});

const tenantSchema = z.object({
  tid: guidSchema,
  displayName: z.string().min(1),
  defaultDomain: z.string().min(3).includes("."),
  // "Tenants that disable user consent always need admin consent" (“Admin consent on the Microsoft identity platform”).
  allowUserConsent: z.boolean().default(true),
  // Client ids an admin already consented to for the whole tenant when the stand-in starts.
  adminConsentedClientIds: z.array(z.string().min(1)).default([]),
  users: z.array(userSchema).min(1),
});

const clientSchema = z.object({
  client_id: z.string().min(1),
  display_name: z.string().min(1),
  client_secret: z.string().min(16, "must be at least 16 characters"),
  redirect_uris: z.array(z.url()).min(1),
  // The app registration's statically configured permissions ("API permissions" blade), granted
  // by `/.default` and by the legacy admin-consent URL that carries no scope (“Admin consent on the Microsoft identity
  // platform”).
  permissions: z.array(z.string().min(1)).default(["openid", "profile", "email", "offline_access", "User.Read"]),
  // The manifest's groupMembershipClaims: "DirectoryRole" or "All" emits `wids` in id_tokens
  // (Token configuration > Add groups claim > Directory roles). Default: configured as the README says.
  groupMembershipClaims: z
    .enum(["None", "SecurityGroup", "DirectoryRole", "ApplicationGroup", "All"])
    .default("DirectoryRole"),
});

export const standInFixtureSchema = z
  .object({
    tenants: z.array(tenantSchema).min(1),
    clients: z.array(clientSchema).min(1),
  })
  .superRefine((fixture, ctx) => {
    const seen = (values: string[], label: string, at: (index: number) => (string | number)[]) => {
      const first = new Map<string, number>();
      values.forEach((value, index) => {
        const key = value.toLowerCase();
        if (first.has(key)) ctx.addIssue({ code: "custom", message: `duplicate ${label} "${value}"`, path: at(index) });
        else first.set(key, index);
      });
    };
    seen(
      fixture.tenants.map((t) => t.tid),
      "tid",
      (i) => ["tenants", i, "tid"],
    );
    seen(
      fixture.tenants.map((t) => t.defaultDomain),
      "defaultDomain",
      (i) => ["tenants", i, "defaultDomain"],
    );
    seen(
      fixture.clients.map((c) => c.client_id),
      "client_id",
      (i) => ["clients", i, "client_id"],
    );
    // The sign-in page finds the user, and so the tenant, from the username alone, as Entra's
    // home-realm discovery does; a username must therefore be unique across the fixture.
    const usernames = fixture.tenants.flatMap((t, ti) =>
      t.users.map((u, ui) => ({ value: u.preferred_username, at: ["tenants", ti, "users", ui, "preferred_username"] })),
    );
    seen(
      usernames.map((u) => u.value),
      "preferred_username",
      (i) => usernames[i]?.at ?? [],
    );
    fixture.tenants.forEach((tenant, ti) => {
      seen(
        tenant.users.map((u) => u.oid),
        "oid",
        (ui) => ["tenants", ti, "users", ui, "oid"],
      );
      if (tenant.tid === MSA_TENANT_ID && tenant.users.some((u) => u.isAdmin)) {
        ctx.addIssue({ code: "custom", message: "personal accounts have no tenant admin", path: ["tenants", ti] });
      }
    });
  });

export type StandInFixture = z.infer<typeof standInFixtureSchema>;
export type StandInFixtureInput = z.input<typeof standInFixtureSchema>;
export type FixtureTenant = StandInFixture["tenants"][number];
export type FixtureUser = FixtureTenant["users"][number];
export type FixtureClient = StandInFixture["clients"][number];

export const GLOBAL_ADMINISTRATOR_ROLE = "62e90394-69f5-4237-9190-012177145e10";
// "User" is a role template every member of a tenant holds; Entra lists it in `wids` too.
export const DEFAULT_USER_ROLE = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/** The role template ids Entra would put in this user's `wids` claim. */
export function directoryRolesOf(user: FixtureUser): string[] {
  return user.directoryRoles ?? (user.isAdmin ? [GLOBAL_ADMINISTRATOR_ROLE, DEFAULT_USER_ROLE] : [DEFAULT_USER_ROLE]);
}

/** Whether a client's id_tokens carry `wids` (groupMembershipClaims "DirectoryRole" or "All"). */
export function emitsDirectoryRoles(client: FixtureClient): boolean {
  return client.groupMembershipClaims === "DirectoryRole" || client.groupMembershipClaims === "All";
}

export class FixtureError extends Error {
  override name = "FixtureError";
}

export type FixtureOverrides = {
  /** Extra redirect URIs registered on every client, e.g. a test server's callback. */
  extraRedirectUris?: string[];
};

export function parseFixture(input: unknown, overrides: FixtureOverrides = {}): StandInFixture {
  const result = standInFixtureSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new FixtureError(`Invalid Entra stand-in fixture:\n  ${lines.join("\n  ")}`);
  }
  const extra = z.array(z.url()).parse(overrides.extraRedirectUris ?? []);
  if (extra.length === 0) return result.data;
  return {
    ...result.data,
    clients: result.data.clients.map((c) => ({ ...c, redirect_uris: [...new Set([...c.redirect_uris, ...extra])] })),
  };
}

export const DEFAULT_FIXTURE_PATH = path.join(import.meta.dirname, "fixture.json");

export function loadFixture(file: string = DEFAULT_FIXTURE_PATH, overrides: FixtureOverrides = {}): StandInFixture {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new FixtureError(`Cannot read Entra stand-in fixture ${file}: ${(error as Error).message}`);
  }
  return parseFixture(json, overrides);
}
