CREATE TABLE room_bans (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until timestamptz NULL,
    banned_by uuid NOT NULL,
    banned_at timestamptz NOT NULL,
    reason text NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE room_mutes (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until timestamptz NOT NULL,
    muted_by uuid NULL,
    muted_at timestamptz NOT NULL,
    reason text NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE message_reports (
    id uuid PRIMARY KEY,
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    message_id uuid NOT NULL,
    sender_id uuid NOT NULL,
    reporter_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason text NULL,
    created_at timestamptz NOT NULL,
    resolved_by uuid NULL,
    resolved_at timestamptz NULL,
    outcome text NULL,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX message_reports_open ON message_reports (room_id, created_at) WHERE resolved_at IS NULL;

-- No foreign keys: the log outlives the rooms, users and messages it names.
CREATE TABLE moderation_actions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    action_id uuid NOT NULL UNIQUE,
    room_id uuid NOT NULL,
    action text NOT NULL,
    actor_id uuid NULL,
    actor_name text NULL,
    user_id uuid NULL,
    message_id uuid NULL,
    report_id uuid NULL,
    reason text NULL,
    until timestamptz NULL,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX moderation_actions_room ON moderation_actions (room_id, id);

CREATE FUNCTION moderation_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_actions is append-only: % is refused', TG_OP;
END
$$;

CREATE TRIGGER moderation_actions_no_update_or_delete
    BEFORE UPDATE OR DELETE ON moderation_actions
    FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only();

CREATE TRIGGER moderation_actions_no_truncate
    BEFORE TRUNCATE ON moderation_actions
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_actions_append_only();
