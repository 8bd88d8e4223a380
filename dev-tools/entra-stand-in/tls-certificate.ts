import { execFile } from "node:child_process";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

export type TlsCertificate = { keyPath: string; certPath: string; key: string; cert: string };

const run = promisify(execFile);

// Reissue a little before expiry so a long dev session never meets an expired certificate.
const RENEW_BEFORE_MS = 6 * 60 * 60 * 1000;

/**
 * A self-signed certificate for `localhost` / 127.0.0.1, reused while valid. next-auth's
 * microsoft-entra-id provider re-reads per-tenant discovery over HTTPS only, and
 * Node reads NODE_EXTRA_CA_CERTS once at start-up, so the same file must keep working across
 * stand-in restarts.
 */
export async function ensureSelfSignedCertificate(certDir: string): Promise<TlsCertificate> {
  const dir = path.resolve(certDir);
  const keyPath = path.join(dir, "localhost-key.pem");
  const certPath = path.join(dir, "localhost-cert.pem");
  const existing = readIfFresh(keyPath, certPath);
  if (existing) return existing;

  mkdirSync(dir, { recursive: true });
  // Write beside the final names and rename, so a concurrent reader never sees half a file.
  const suffix = `${process.pid}-${Date.now()}`;
  const tmpKey = `${keyPath}.${suffix}`;
  const tmpCert = `${certPath}.${suffix}`;
  try {
    await run(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        tmpKey,
        "-out",
        tmpCert,
      ],
      { timeout: 30_000 },
    );
  } catch (error) {
    rmSync(tmpKey, { force: true });
    rmSync(tmpCert, { force: true });
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        "The Entra stand-in needs `openssl` on PATH to create its self-signed TLS certificate " +
          "(Debian: apt-get install -y openssl), or a localhost-key.pem/localhost-cert.pem pair in " +
          `${dir}.`,
      );
    }
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`openssl could not create the stand-in certificate${stderr ? `: ${stderr}` : ""}`);
  }
  renameSync(tmpKey, keyPath);
  renameSync(tmpCert, certPath);
  return { keyPath, certPath, key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8") };
}

function readIfFresh(keyPath: string, certPath: string): TlsCertificate | null {
  try {
    const key = readFileSync(keyPath, "utf8");
    const cert = readFileSync(certPath, "utf8");
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - Date.now() < RENEW_BEFORE_MS) return null;
    if (!x509.checkHost("localhost") || !x509.checkIP("127.0.0.1")) return null;
    // A writer renames the key before the certificate: a pair read in between does not match.
    if (!x509.checkPrivateKey(createPrivateKey(key))) return null;
    return { keyPath, certPath, key, cert };
  } catch {
    return null;
  }
}
