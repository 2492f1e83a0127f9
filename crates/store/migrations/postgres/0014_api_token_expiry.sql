-- Issue 34: an API token may end on a moment chosen when it is made (unix seconds);
-- NULL: it works until it is revoked or its user's password changes.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
