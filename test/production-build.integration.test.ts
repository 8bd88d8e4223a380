import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The production build (`next build`, run before the integration suite) must not carry development
// tools: the Entra stand-in can forge sign-in tokens, and the test support imports vitest.
const serverOutput = path.resolve(import.meta.dirname, "..", ".next", "server");

function javascriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return javascriptFiles(full);
    return name.endsWith(".js") ? [full] : [];
  });
}

describe("production build", () => {
  const files = javascriptFiles(serverOutput);

  it("has server bundles to inspect", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each([
    ["the stand-in's token minting", "mintIdToken"],
    ["the stand-in's HTTPS server", "createEntraStandIn"],
    ["the test harness", "useFreshStore"],
    ["vitest", "vitest/dist"],
  ])("does not bundle %s", (_what, marker) => {
    const bundling = files
      .filter((file) => readFileSync(file, "utf8").includes(marker))
      .map((file) => path.relative(serverOutput, file));
    expect(bundling).toEqual([]);
  });
});
