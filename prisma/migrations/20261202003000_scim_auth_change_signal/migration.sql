-- Every instance keeps the token lookups of SCIM authentication in memory. Whatever changes what
-- that lookup answers (a token revoked, rotated, re-dated or deleted; single sign-on switched off
-- or on; a team deleted, which cascades) signals the channel "storegate_scim_auth" on commit, and
-- every listening instance drops its cached tokens (PostgreSQL LISTEN/NOTIFY; PGlite in process).
-- "Last used" updates name none of these columns, so they do not signal.
CREATE FUNCTION "storegate_signal_scim_auth_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('storegate_scim_auth', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER "ScimToken_auth_change"
  AFTER UPDATE OF "tokenHash", "teamId", "expiresAt", "revokedAt", "replacedAt", "overlapEndsAt" OR DELETE ON "ScimToken"
  FOR EACH STATEMENT EXECUTE FUNCTION "storegate_signal_scim_auth_change"();

CREATE TRIGGER "SsoConnection_auth_change"
  AFTER INSERT OR UPDATE OF "active", "teamId" OR DELETE ON "SsoConnection"
  FOR EACH STATEMENT EXECUTE FUNCTION "storegate_signal_scim_auth_change"();
