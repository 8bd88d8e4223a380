import { getStore } from "./index";

/** Server start-up: open and migrate the store, or stop the process with a readable reason. */
export async function openStoreOrExit(): Promise<void> {
  try {
    await getStore();
  } catch (error) {
    console.error(`\nStoregate Console cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
