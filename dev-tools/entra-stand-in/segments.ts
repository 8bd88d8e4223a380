import { MSA_TENANT_ID, type FixtureTenant } from "./fixture";

/**
 * The `{tenant}` path segment of every v2 endpoint (v2-protocols-oidc, "Find your app's OpenID
 * configuration document URI"): `common` (work and personal accounts), `organizations` (work
 * only), `consumers` (personal only), or one tenant by GUID or domain name.
 */
export type TenantSegment =
  | { kind: "common"; path: "common" }
  | { kind: "organizations"; path: "organizations" }
  | { kind: "consumers"; path: "consumers" }
  | { kind: "tenant"; path: string; tenant: FixtureTenant };

export function resolveSegment(
  segment: string,
  findTenant: (idOrDomain: string) => FixtureTenant | undefined,
): TenantSegment | undefined {
  const lower = segment.toLowerCase();
  if (lower === "common" || lower === "organizations" || lower === "consumers") {
    return { kind: lower, path: lower } as TenantSegment;
  }
  const tenant = findTenant(lower);
  // A tenant named by domain answers with its GUID, as Entra's discovery documents do.
  return tenant ? { kind: "tenant", path: tenant.tid, tenant } : undefined;
}

/** Why an account may not use this endpoint, or undefined when it may. */
export function refuseAccount(segment: TenantSegment, tenant: FixtureTenant, username: string): string | undefined {
  const personal = tenant.tid === MSA_TENANT_ID;
  switch (segment.kind) {
    case "common":
      return undefined;
    case "organizations":
      return personal
        ? "You can't sign in here with a personal account. Use your work or school account instead."
        : undefined;
    case "consumers":
      return personal
        ? undefined
        : `AADSTS50020: User account '${username}' from identity provider '${tenant.defaultDomain}' is not a personal Microsoft account and cannot sign in at the consumers endpoint.`;
    case "tenant":
      return segment.tenant.tid === tenant.tid
        ? undefined
        : `AADSTS50020: User account '${username}' from identity provider 'https://sts.windows.net/${tenant.tid}/' does not exist in tenant '${segment.tenant.displayName}' and cannot access the application in that tenant.`;
  }
}
