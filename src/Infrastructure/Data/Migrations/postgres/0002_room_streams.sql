ALTER TABLE users ADD COLUMN invisible boolean NOT NULL DEFAULT false;

ALTER TABLE rooms ADD COLUMN kind integer NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN direct_key text NULL UNIQUE;
ALTER TABLE rooms ADD COLUMN normalized_name text NOT NULL DEFAULT '';
ALTER TABLE rooms ADD COLUMN retention_days integer NULL;
ALTER TABLE rooms ADD COLUMN first_seq bigint NOT NULL DEFAULT 1;
UPDATE rooms SET normalized_name = lower(name);
CREATE INDEX rooms_public_name ON rooms (normalized_name) WHERE visibility = 0 AND kind = 0;

ALTER TABLE room_members ADD COLUMN last_read_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE room_members ADD COLUMN muted boolean NOT NULL DEFAULT false;

ALTER TABLE messages ADD COLUMN reply_to_message_id uuid NULL;
ALTER TABLE messages ADD COLUMN edited_at timestamptz NULL;
ALTER TABLE messages ADD COLUMN deleted_at timestamptz NULL;
CREATE INDEX messages_replies ON messages (room_id, reply_to_message_id, seq) WHERE reply_to_message_id IS NOT NULL;

CREATE TABLE message_reactions (
    message_id uuid NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
    user_id uuid NOT NULL,
    emoji text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);

CREATE TABLE room_events (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    type text NOT NULL,
    message_id uuid NULL,
    payload text NOT NULL,
    occurred_unix_ms bigint NOT NULL,
    PRIMARY KEY (room_id, seq)
);
CREATE INDEX room_events_time ON room_events (room_id, occurred_unix_ms);
CREATE INDEX room_events_message ON room_events (room_id, message_id) WHERE message_id IS NOT NULL;

CREATE TABLE retention_runs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    rooms_truncated integer NOT NULL,
    events_deleted bigint NOT NULL,
    messages_deleted bigint NOT NULL
);

CREATE INDEX notifications_user ON notifications (user_id, created_at);
