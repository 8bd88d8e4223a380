-- CreateEnum
CREATE TYPE "SessionMethod" AS ENUM ('PASSWORD', 'ENTRA');

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "method" "SessionMethod" NOT NULL DEFAULT 'PASSWORD';

-- AlterTable
ALTER TABLE "SsoConnection" ADD COLUMN     "consentedByName" TEXT,
ADD COLUMN     "consentedByOid" TEXT,
ADD COLUMN     "consentedByUpn" TEXT,
ADD COLUMN     "tenantName" TEXT;

-- Sessions from before this migration: a member without a password can only have signed in with
-- Microsoft, so their sessions are ENTRA sessions.
UPDATE "Session" SET "method" = 'ENTRA'
WHERE NOT EXISTS (SELECT 1 FROM "PasswordCredential" c WHERE c."userId" = "Session"."userId");
