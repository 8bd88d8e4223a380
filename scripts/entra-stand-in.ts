// Runs the local Entra ID stand-in (dev-tools/entra-stand-in) until SIGINT/SIGTERM.
//   tsx scripts/entra-stand-in.ts --port 8443 --cert-dir .data/entra-stand-in
// Prints one JSON line {"url","caCertPath","issuer"} once it accepts connections, so a test
// harness can read where it listens; start Next with NODE_EXTRA_CA_CERTS=<caCertPath>.
import { parseArgs } from "node:util";
import { createEntraStandIn } from "../dev-tools/entra-stand-in";

const USAGE = `Usage: tsx scripts/entra-stand-in.ts [--port 8443] [--cert-dir .data/entra-stand-in]
       [--fixture dev-tools/entra-stand-in/fixture.json] [--redirect-uri <extra registered URI>]...`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "8443" },
        "cert-dir": { type: "string", default: ".data/entra-stand-in" },
        fixture: { type: "string" },
        "redirect-uri": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got "${values.port}"\n${USAGE}`);
    process.exit(2);
  }

  const standIn = await createEntraStandIn({
    port,
    certDir: values["cert-dir"],
    fixture: values.fixture,
    extraRedirectUris: values["redirect-uri"],
  });
  console.log(JSON.stringify({ url: standIn.url, caCertPath: standIn.caCertPath, issuer: standIn.commonIssuer }));

  const stop = () => {
    standIn.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
