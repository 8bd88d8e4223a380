// `npm test`: the whole suite, in the order that fails fastest: lint, format, typecheck, unit, build,
// integration (data layer + the built app over HTTP), then Playwright e2e in Debian's Chromium.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

if (!existsSync(chromium)) {
  console.error(`Chromium is missing (${chromium}). Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}

const bin = (pkg: string, file: string) => path.join(root, "node_modules", pkg, file);
const steps: [string, string[]][] = [
  ["lint", [bin("eslint", "bin/eslint.js"), ".", "--max-warnings", "0"]],
  ["format", [bin("prettier", "bin/prettier.cjs"), "--check", "."]],
  ["typecheck", [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."]],
  ["unit", [bin("vitest", "vitest.mjs"), "run"]],
  ["build", [bin("next", "dist/bin/next"), "build"]],
  ["integration", [bin("vitest", "vitest.mjs"), "run", "--config", "vitest.integration.config.ts"]],
  ["e2e", [bin("@playwright/test", "cli.js"), "test"]],
];

const only = process.argv.slice(2);
for (const [name, args] of steps) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: name === "build" ? "production" : "test" },
  });
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
  console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}
console.log("\nAll checks passed.");
