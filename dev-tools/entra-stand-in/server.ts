import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import {
  loadFixture,
  parseFixture,
  type FixtureOverrides,
  type StandInFixture,
  type StandInFixtureInput,
} from "./fixture";
import { handleStandInRequest } from "./handle-request";
import { json, type StandInContext, type StandInRequest, type StandInResponse } from "./http";
import { getSigningKey } from "./signing-key";
import { StandInStore } from "./store";
import { ensureSelfSignedCertificate } from "./tls-certificate";
import { buildTenantIssuer } from "./tokens";

// Loopback only: the stand-in signs tokens with fixture passwords and must never face a network.
const BIND_ADDRESS = "127.0.0.1";
const MAX_BODY_BYTES = 1024 * 1024;

export type EntraStandInOptions = {
  /**
   * Host name used in every URL and issuer. `localhost` (the default) because Next rewrites
   * 127.0.0.1 to localhost and redirect URIs would then mismatch.
   */
  host?: "localhost" | "127.0.0.1";
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fixture object, a path to a fixture JSON file, or the bundled fixture.json when omitted. */
  fixture?: StandInFixtureInput | string;
  /** Where the self-signed certificate is created (or reused while valid). */
  certDir: string;
} & FixtureOverrides;

export type EntraStandIn = {
  /** `https://localhost:<port>`. */
  url: string;
  /** PEM of the self-signed certificate: trust it with NODE_EXTRA_CA_CERTS or an https.Agent `ca`. */
  caCertPath: string;
  /** Configure next-auth's microsoft-entra-id provider with this issuer. */
  commonIssuer: string;
  /** `https://localhost:<port>/<tid>/v2.0`, the `iss` of that tenant's id_tokens. */
  issuerFor(tid: string): string;
  fixture: StandInFixture;
  /** Whether an admin of `tid` has consented to `clientId` for the whole tenant. */
  hasAdminConsent(tid: string, clientId: string): boolean;
  close(): Promise<void>;
};

export async function createEntraStandIn(options: EntraStandInOptions): Promise<EntraStandIn> {
  const fixture =
    typeof options.fixture === "string" || options.fixture === undefined
      ? loadFixture(options.fixture, options)
      : parseFixture(options.fixture, options);
  const [certificate] = await Promise.all([ensureSelfSignedCertificate(options.certDir), getSigningKey()]);
  const store = new StandInStore(fixture);
  const host = options.host ?? "localhost";
  const ctx: StandInContext = { store, baseUrl: "" };

  const server = createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    void serve(ctx, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, BIND_ADDRESS, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  ctx.baseUrl = `https://${host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: ctx.baseUrl,
    caCertPath: certificate.certPath,
    commonIssuer: `${ctx.baseUrl}/common/v2.0`,
    issuerFor: (tid) => buildTenantIssuer(ctx.baseUrl, tid),
    fixture,
    hasAdminConsent: (tid, clientId) => store.adminConsentedScopes(tid, clientId) !== undefined,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (fetch, browsers) would otherwise hold close() open.
        server.closeAllConnections();
      })),
  };
}

async function serve(ctx: StandInContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: StandInResponse;
  try {
    const body = await readBody(req);
    if (body === null) {
      response = json(413, { error: "invalid_request", error_description: "Request body too large." });
    } else {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      const request: StandInRequest = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", ctx.baseUrl),
        headers,
        body,
      };
      response = await handleStandInRequest(ctx, request);
    }
  } catch (error) {
    console.error("[entra-stand-in] unexpected error", error);
    response = json(500, { error: "server_error", error_description: "The Entra stand-in failed; see its log." });
  }
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
