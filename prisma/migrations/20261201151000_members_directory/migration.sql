-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastSignInAt" TIMESTAMP(3);

-- CreateIndex
-- The Members directory's first page and its keyset pages: ORDER BY name, id within a team.
CREATE INDEX "User_teamId_name_id_idx" ON "User"("teamId", "name", "id");

-- Prefix searches ("starts with", case-insensitive) of the Members directory. text_pattern_ops
-- lets LIKE 'abc%' use the index whatever the database collation is; the same indexes also serve
-- equality (the duplicate-email check when an Administrator adds a member).
CREATE INDEX "User_members_name_prefix_idx" ON "User"("teamId", lower("name") text_pattern_ops);
CREATE INDEX "User_members_email_prefix_idx" ON "User"("teamId", lower("email") text_pattern_ops);
CREATE INDEX "User_members_username_prefix_idx" ON "User"("teamId", "userNameKey" text_pattern_ops);
CREATE INDEX "User_members_externalid_prefix_idx" ON "User"("teamId", lower("externalId") text_pattern_ops);
