import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Every temporary folder a test makes (data directories, certificates, app servers and CLIs it
// starts) goes under one folder for the run, removed at the end: tests leave nothing in tmp.
// os.tmpdir() reads TMPDIR, which the test workers and their child processes inherit.
export default function setup() {
  const root = mkdtempSync(path.join(tmpdir(), "storegate-tests-"));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
