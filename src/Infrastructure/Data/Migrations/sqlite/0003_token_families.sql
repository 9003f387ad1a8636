ALTER TABLE refresh_tokens ADD COLUMN family_id TEXT NOT NULL DEFAULT '';
UPDATE refresh_tokens SET family_id = id;
ALTER TABLE refresh_tokens ADD COLUMN used_at TEXT NULL;
ALTER TABLE refresh_tokens ADD COLUMN revoked_reason TEXT NULL;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

ALTER TABLE users ADD COLUMN external_issuer TEXT NULL;
ALTER TABLE users ADD COLUMN external_subject TEXT NULL;
CREATE UNIQUE INDEX users_external ON users (external_issuer, external_subject) WHERE external_issuer IS NOT NULL;
