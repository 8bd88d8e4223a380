import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCliOk, useTestApp } from "../../../test/support/app-server";

// `entra:simulate` against the built app: both of Entra's cycles, in both PATCH dialects, with no failure.
const root = path.resolve(import.meta.dirname, "..", "..", "..");
let tenant: { tenantUrl: string; token: string };

const app = useTestApp((env) => {
  const team = runCliOk(env, [
    "team:create",
    "--name",
    "Contoso",
    "--admin-email",
    "ada@contoso.test",
    "--admin-password",
    "Sturdy-Passw0rd",
    "--entra-tenant",
    "0b1e2c3d-0003-4a5b-8c6d-7e8f90a1b2c3",
  ]);
  tenant = runCliOk<{ tenantUrl: string; token: string }>(env, ["scim-token:issue", "--team", team.teamId!]);
});

// Asynchronous, so this process keeps reading the app server's output while the CLI runs.
function simulate(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", "entra:simulate", ...args],
      { cwd: root, env: process.env },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("entra:simulate against the console's SCIM endpoint", () => {
  it.each([
    ["default", ""],
    ["aadOptscim062020", "?aadOptscim062020"],
  ])(
    "runs the initial and incremental cycles in the %s dialect with zero failures",
    { timeout: 180_000 },
    async (dialect, flag) => {
      const result = await simulate([
        "--tenant-url",
        `${tenant.tenantUrl}${flag}`,
        "--token",
        tenant.token,
        "--users",
        "300",
        "--groups",
        "6",
        "--members-per-group",
        "60",
        "--seed",
        dialect,
      ]);
      const lines = result.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      const report = JSON.parse(lines[0]!);
      expect(report.failures).toEqual([]);
      expect(result.status).toBe(0);
      expect(report).toMatchObject({
        ok: true,
        dialect,
        failureCount: 0,
        operations: {
          createUser: { ok: 300, failed: 0 },
          createGroup: { ok: 6, failed: 0 },
          updateAttributes: { ok: expect.any(Number), failed: 0 },
          changeRole: { ok: expect.any(Number), failed: 0 },
          disableUser: { ok: expect.any(Number), failed: 0 },
          enableUser: { ok: expect.any(Number), failed: 0 },
          renameUser: { ok: expect.any(Number), failed: 0 },
          removeMembers: { ok: expect.any(Number), failed: 0 },
          renameGroup: { ok: expect.any(Number), failed: 0 },
          deleteUser: { ok: expect.any(Number), failed: 0 },
        },
      });
      expect(result.stdout + result.stderr).not.toContain(tenant.token);
      expect(tenant.tenantUrl).toBe(`${app.server.url}/api/scim/v2`);
    },
  );

  it("exits 1 and reports the failure when the token is wrong", async () => {
    const result = await simulate([
      "--tenant-url",
      tenant.tenantUrl,
      "--token",
      "sgp_wrong",
      "--users",
      "1",
      "--groups",
      "0",
      "--cycles",
      "initial",
    ]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(report.failures[0]).toMatchObject({
      operation: expect.stringMatching(/^testConnection/),
      response: { status: 401 },
    });
  });
});
