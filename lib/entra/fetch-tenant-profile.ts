export type TenantProfile = { name: string | null; domain: string | null };

/**
 * The tenant's display name and default verified domain from Microsoft Graph ("Get organization",
 * `GET /v1.0/organization`, delegated `User.Read`), read with the access token of the sign-in that
 * just happened. Display only: nothing is authorised on it. Any failure (no token, no permission,
 * Graph unreachable, an unexpected shape) gives nulls, and the caller falls back to the domain of
 * the signed-in account; activation never fails because of it.
 */
export async function fetchTenantProfile(
  graphUrl: string,
  accessToken: string | undefined,
  tenantId: string,
  timeoutMs = 5000,
): Promise<TenantProfile> {
  const none = { name: null, domain: null };
  if (!accessToken) return none;
  try {
    const response = await fetch(`${graphUrl}/v1.0/organization?$select=id,displayName,verifiedDomains`, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return none;
    const body = (await response.json()) as {
      value?: { id?: unknown; displayName?: unknown; verifiedDomains?: { name?: unknown; isDefault?: unknown }[] }[];
    };
    const org = body.value?.find((o) => typeof o.id === "string" && o.id.toLowerCase() === tenantId);
    if (!org) return none;
    const domains = Array.isArray(org.verifiedDomains) ? org.verifiedDomains : [];
    const domain = (domains.find((d) => d.isDefault === true) ?? domains[0])?.name;
    return { name: cleanText(org.displayName), domain: cleanText(domain)?.toLowerCase() ?? null };
  } catch {
    return none;
  }
}

const cleanText = (value: unknown): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.slice(0, 256) : null;
