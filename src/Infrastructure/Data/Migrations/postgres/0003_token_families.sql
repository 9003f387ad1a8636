ALTER TABLE refresh_tokens ADD COLUMN family_id uuid NULL;
UPDATE refresh_tokens SET family_id = id;
ALTER TABLE refresh_tokens ALTER COLUMN family_id SET NOT NULL;
ALTER TABLE refresh_tokens ADD COLUMN used_at timestamptz NULL;
ALTER TABLE refresh_tokens ADD COLUMN revoked_reason text NULL;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

ALTER TABLE users ADD COLUMN external_issuer text NULL;
ALTER TABLE users ADD COLUMN external_subject text NULL;
CREATE UNIQUE INDEX users_external ON users (external_issuer, external_subject) WHERE external_issuer IS NOT NULL;
