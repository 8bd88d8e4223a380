-- The health summary looks for Entra's latest Test Connection probe: a GET /Users lookup answered
-- 200 with no results. Without this partial index, a team whose log holds no such entry made that
-- search read its whole log (2.5 s at 1,000,000 entries); with it, the newest candidates are read
-- off the index. The predicate repeats the query's conditions word for word, so the planner can
-- prove the index applies (lib/provisioning/health.ts).
CREATE INDEX "ScimRequestLog_empty_lookup_idx" ON "ScimRequestLog"("teamId", "createdAt" DESC, "id" DESC)
  WHERE "method" = 'GET' AND "status" = 200 AND ("responseBody"->>'totalResults') = '0';
