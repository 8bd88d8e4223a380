import { rmSync } from "node:fs";

// The e2e store and the stand-in's certificate live in a temporary folder made by the config.
export default function globalTeardown() {
  if (process.env.E2E_DATA_DIR_CREATED) rmSync(process.env.E2E_DATA_DIR_CREATED, { recursive: true, force: true });
}
