// Opens the database (validating configuration and applying migrations) before the server takes
// requests, so a bad setting or a failed migration stops start-up with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { openStoreOrExit } = await import("./lib/db/startup");
    await openStoreOrExit();
  }
}
