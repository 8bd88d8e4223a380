-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "managerRef" TEXT,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- Existing manager references were all resolved ones.
UPDATE "User" SET "managerRef" = "managerId" WHERE "managerId" IS NOT NULL;

-- CreateTable
CREATE TABLE "ProvisioningRoleMapping" (
    "teamId" TEXT NOT NULL,
    "mappings" JSONB NOT NULL,
    "defaultRole" "Role" NOT NULL DEFAULT 'USER',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProvisioningRoleMapping_pkey" PRIMARY KEY ("teamId")
);

-- CreateIndex
CREATE INDEX "User_teamId_managerRef_idx" ON "User"("teamId", "managerRef");

-- AddForeignKey
ALTER TABLE "ProvisioningRoleMapping" ADD CONSTRAINT "ProvisioningRoleMapping_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
