-- AlterTable
ALTER TABLE "User" ADD COLUMN     "entraObjectId" TEXT,
ADD COLUMN     "userName" TEXT;

-- CreateTable
CREATE TABLE "SsoConnection" (
    "teamId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "tenantDomain" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "activatedById" TEXT,
    "activatedByName" TEXT NOT NULL,
    "activatedAt" TIMESTAMP(3) NOT NULL,
    "deactivatedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SsoConnection_pkey" PRIMARY KEY ("teamId")
);

-- CreateTable
CREATE TABLE "SsoActivation" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "SsoActivation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SsoConnection_tenantId_key" ON "SsoConnection"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "SsoActivation_tokenHash_key" ON "SsoActivation"("tokenHash");

-- CreateIndex
CREATE INDEX "SsoActivation_teamId_idx" ON "SsoActivation"("teamId");

-- CreateIndex
CREATE UNIQUE INDEX "User_teamId_entraObjectId_key" ON "User"("teamId", "entraObjectId");

-- AddForeignKey
ALTER TABLE "SsoConnection" ADD CONSTRAINT "SsoConnection_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
