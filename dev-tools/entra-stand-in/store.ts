import { randomBytes } from "node:crypto";
import type { FixtureClient, FixtureTenant, FixtureUser, StandInFixture } from "./fixture";
import { staticPermissions } from "./scopes";
import type { TenantSegment } from "./segments";

// Entra's authorization codes are short-lived and single use; the brief for this stand-in fixes
// their lifetime at 60 seconds so tests can reason about it.
export const CODE_LIFETIME_MS = 60_000;
// How long a half-finished sign-in (the page between authorize and redirect) stays usable.
const FLOW_LIFETIME_MS = 15 * 60_000;
// Redeemed codes are remembered a while longer so a replay gets AADSTS54005, not "malformed".
const REDEEMED_CODE_MEMORY_MS = 10 * 60_000;

export type AuthorizeRequest = {
  kind: "authorize";
  segment: TenantSegment;
  client: FixtureClient;
  redirectUri: string;
  responseMode: "query" | "form_post";
  state: string | undefined;
  nonce: string | undefined;
  scopes: string[];
  codeChallenge: string;
  prompt: "login" | "none" | "consent" | "select_account" | undefined;
  loginHint: string | undefined;
};

export type AdminConsentRequest = {
  kind: "adminconsent";
  segment: TenantSegment;
  client: FixtureClient;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
};

export type Flow = {
  id: string;
  request: AuthorizeRequest | AdminConsentRequest;
  /** The session that signed in for this flow; consent must come from the same browser. */
  sessionId: string | undefined;
  expiresAt: number;
};

export type Session = { id: string; tid: string; oid: string; authTime: number };

export type CodeRecord = {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scopes: string[];
  tid: string;
  oid: string;
  expiresAt: number;
  redeemed: boolean;
  /** `uti` of the access token issued for this code, revoked if the code is replayed (RFC 6749 §4.1.2). */
  accessTokenUti: string | undefined;
};

export type Account = { tenant: FixtureTenant; user: FixtureUser };

/** All mutable stand-in state. In memory, like the stand-in itself: a restart forgets consents. */
export class StandInStore {
  readonly flows = new Map<string, Flow>();
  readonly sessions = new Map<string, Session>();
  readonly codes = new Map<string, CodeRecord>();
  readonly revokedAccessTokens = new Set<string>();
  /** tid -> client_id -> scopes an admin granted for the whole tenant. */
  private readonly adminConsents = new Map<string, Map<string, Set<string>>>();
  /** `${tid}|${oid}|${client_id}` -> scopes the user granted for themselves. */
  private readonly userConsents = new Map<string, Set<string>>();

  constructor(readonly fixture: StandInFixture) {
    for (const tenant of fixture.tenants) {
      for (const clientId of tenant.adminConsentedClientIds) {
        const client = this.findClient(clientId);
        if (client) this.grantAdminConsent(tenant.tid, clientId, staticPermissions(client));
      }
    }
  }

  findClient(clientId: string): FixtureClient | undefined {
    return this.fixture.clients.find((c) => c.client_id === clientId);
  }

  findTenant(idOrDomain: string): FixtureTenant | undefined {
    const key = idOrDomain.toLowerCase();
    return this.fixture.tenants.find((t) => t.tid === key || t.defaultDomain.toLowerCase() === key);
  }

  findAccountByUsername(username: string): Account | undefined {
    const key = username.trim().toLowerCase();
    for (const tenant of this.fixture.tenants) {
      const user = tenant.users.find((u) => u.preferred_username.toLowerCase() === key);
      if (user) return { tenant, user };
    }
    return undefined;
  }

  findAccount(tid: string, oid: string): Account | undefined {
    const tenant = this.fixture.tenants.find((t) => t.tid === tid);
    const user = tenant?.users.find((u) => u.oid === oid);
    return tenant && user ? { tenant, user } : undefined;
  }

  createFlow(request: Flow["request"]): Flow {
    this.sweep();
    const flow: Flow = { id: newId(), request, sessionId: undefined, expiresAt: Date.now() + FLOW_LIFETIME_MS };
    this.flows.set(flow.id, flow);
    return flow;
  }

  findFlow(id: string | undefined): Flow | undefined {
    if (!id) return undefined;
    const flow = this.flows.get(id);
    if (!flow || flow.expiresAt <= Date.now()) return undefined;
    return flow;
  }

  createSession(account: Account): Session {
    const session: Session = { id: newId(), tid: account.tenant.tid, oid: account.user.oid, authTime: Date.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  issueCode(record: Omit<CodeRecord, "expiresAt" | "redeemed" | "accessTokenUti">): string {
    this.sweep();
    const code = randomBytes(48).toString("base64url");
    this.codes.set(code, {
      ...record,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
      redeemed: false,
      accessTokenUti: undefined,
    });
    return code;
  }

  grantAdminConsent(tid: string, clientId: string, scopes: string[]): void {
    let byClient = this.adminConsents.get(tid);
    if (!byClient) this.adminConsents.set(tid, (byClient = new Map<string, Set<string>>()));
    byClient.set(clientId, new Set([...(byClient.get(clientId) ?? []), ...scopes]));
  }

  grantUserConsent(tid: string, oid: string, clientId: string, scopes: string[]): void {
    const key = `${tid}|${oid}|${clientId}`;
    this.userConsents.set(key, new Set([...(this.userConsents.get(key) ?? []), ...scopes]));
  }

  adminConsentedScopes(tid: string, clientId: string): ReadonlySet<string> | undefined {
    return this.adminConsents.get(tid)?.get(clientId);
  }

  userConsentedScopes(tid: string, oid: string, clientId: string): ReadonlySet<string> | undefined {
    return this.userConsents.get(`${tid}|${oid}|${clientId}`);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, flow] of this.flows) if (flow.expiresAt <= now) this.flows.delete(id);
    for (const [code, record] of this.codes) {
      if (record.expiresAt + REDEEMED_CODE_MEMORY_MS <= now) this.codes.delete(code);
    }
  }
}

function newId(): string {
  return randomBytes(24).toString("base64url");
}
