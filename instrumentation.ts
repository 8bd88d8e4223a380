// Opens the database (validating configuration and applying migrations) before the server takes
// requests, so a bad setting or a failed migration stops start-up with a clear message. Then
// publishes what the console's server (scripts/serve.mjs) needs, from this bundle so
// the process keeps one store, one token cache and one provisioning log.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { openStoreOrExit } = await import("./lib/db/startup");
    await openStoreOrExit();
    const { publishServerHooks } = await import("./lib/http/server-hooks");
    publishServerHooks();
  }
}
