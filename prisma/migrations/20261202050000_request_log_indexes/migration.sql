-- The Provisioning page at a busy team's size (lib/provisioning/activity.ts, health.ts,
-- list-request-log.ts; figures in docs/performance.md).
--
-- 1. ("teamId", "createdAt") becomes ("teamId", "createdAt", "status"). The activity chart counts
--    each hour's entries by outcome and the health summary counts the last 24 h's failures: with
--    the status in the index, both are index-only scans, which never read the log's rows (with
--    bodies, most of its size) once they are all-visible. Every query that used the old index
--    uses its prefix. Not one more index: the old one is dropped, and each entry's index tuple
--    grows by the 4 bytes of the status.
CREATE INDEX "ScimRequestLog_teamId_createdAt_status_idx" ON "ScimRequestLog"("teamId", "createdAt", "status");
DROP INDEX "ScimRequestLog_teamId_createdAt_idx";

-- 2. A member's or a group's provisioning history (the log filtered by target, linked from the
--    member and group pages) read the team's log backwards through ("teamId", "createdAt") until it
--    had a page of that target's entries: for a member with a few entries in a long log, the whole
--    log. This index holds only entries about a target, in the order the log is shown (newest
--    first, id as the tie-break), so a page is the first rows of one range of it. Entries without a
--    target (Entra's lookups and lists, most of its traffic) are not in it and cost no index write.
--    Partial, so it cannot be written in schema.prisma; lib/provisioning/health.integration.test.ts
--    checks that the planner uses it.
CREATE INDEX "ScimRequestLog_target_idx" ON "ScimRequestLog"("teamId", "targetId", "createdAt" DESC, "id" DESC)
  WHERE "targetId" IS NOT NULL;
