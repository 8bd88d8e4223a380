-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "provisioningCheck" JSONB,
ADD COLUMN     "sandboxOfId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Team_sandboxOfId_key" ON "Team"("sandboxOfId");

-- AddForeignKey
ALTER TABLE "Team" ADD CONSTRAINT "Team_sandboxOfId_fkey" FOREIGN KEY ("sandboxOfId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;
