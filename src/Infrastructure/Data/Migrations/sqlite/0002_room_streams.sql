ALTER TABLE users ADD COLUMN invisible INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rooms ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rooms ADD COLUMN direct_key TEXT NULL;
ALTER TABLE rooms ADD COLUMN normalized_name TEXT NOT NULL DEFAULT '';
ALTER TABLE rooms ADD COLUMN retention_days INTEGER NULL;
ALTER TABLE rooms ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 1;
UPDATE rooms SET normalized_name = lower(name);
CREATE UNIQUE INDEX rooms_direct_key ON rooms (direct_key);
CREATE INDEX rooms_public_name ON rooms (normalized_name);

ALTER TABLE room_members ADD COLUMN last_read_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE room_members ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;

ALTER TABLE messages ADD COLUMN reply_to_message_id TEXT NULL;
ALTER TABLE messages ADD COLUMN edited_at TEXT NULL;
ALTER TABLE messages ADD COLUMN deleted_at TEXT NULL;
CREATE INDEX messages_replies ON messages (room_id, reply_to_message_id, seq);

CREATE TABLE message_reactions (
    message_id TEXT NOT NULL REFERENCES messages (message_id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    emoji TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);

CREATE TABLE room_events (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    message_id TEXT NULL,
    payload TEXT NOT NULL,
    occurred_unix_ms INTEGER NOT NULL,
    PRIMARY KEY (room_id, seq)
);
CREATE INDEX room_events_time ON room_events (room_id, occurred_unix_ms);
CREATE INDEX room_events_message ON room_events (room_id, message_id);

CREATE TABLE retention_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    rooms_truncated INTEGER NOT NULL,
    events_deleted INTEGER NOT NULL,
    messages_deleted INTEGER NOT NULL
);

CREATE INDEX notifications_user ON notifications (user_id, created_at);
