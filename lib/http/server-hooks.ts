import type { IncomingMessage, ServerResponse } from "node:http";
import { closeStore } from "../db";
import { getRequestLogger } from "../provisioning/request-log";
import { serveScimFromNode, takesScimFastPath } from "./scim-node";

/**
 * What the console's server (scripts/serve.mjs) needs from the application, published on
 * globalThis by instrumentation.ts. They come from Next's own server bundle, so the process keeps
 * one store, one token cache and one provisioning log whichever path a request takes.
 */
export type ServerHooks = {
  /** Whether the SCIM adapter answers this request (./scim-node.ts); otherwise Next does. */
  takesScim(method: string | undefined, url: string | undefined): boolean;
  serveScim(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /**
   * After the last request: writes the provisioning log entries still buffered and closes the
   * store, so a graceful stop (a deploy, Ctrl+C) loses no entry and leaves the embedded database
   * shut down cleanly.
   */
  shutdown(): Promise<void>;
};

export const SERVER_HOOKS = Symbol.for("storegate.server-hooks");

export function publishServerHooks(): void {
  const hooks: ServerHooks = {
    takesScim: takesScimFastPath,
    serveScim: serveScimFromNode,
    async shutdown() {
      await getRequestLogger().flush();
      await closeStore();
    },
  };
  (globalThis as Record<symbol, unknown>)[SERVER_HOOKS] = hooks;
}
