// A local Microsoft Entra ID v2.0 stand-in (OpenID Connect, multi-tenant, admin consent) for
// development and tests, because no machine here reaches login.microsoftonline.com.
export { createEntraStandIn, type EntraStandIn, type EntraStandInOptions } from "./server";
export {
  DEFAULT_FIXTURE_PATH,
  FixtureError,
  loadFixture,
  MSA_TENANT_ID,
  parseFixture,
  standInFixtureSchema,
  type FixtureClient,
  type FixtureTenant,
  type FixtureUser,
  type StandInFixture,
  type StandInFixtureInput,
} from "./fixture";
export { getSigningPublicJwk } from "./signing-key";
export {
  mintIdToken,
  derivePairwiseSubject,
  buildTenantIssuer,
  type MintIdTokenOptions,
  type MintSigner,
} from "./tokens";
export { ensureSelfSignedCertificate } from "./tls-certificate";
