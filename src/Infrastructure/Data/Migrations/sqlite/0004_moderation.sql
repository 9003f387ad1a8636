CREATE TABLE room_bans (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until TEXT NULL,
    banned_by TEXT NOT NULL,
    banned_at TEXT NOT NULL,
    reason TEXT NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE room_mutes (
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    until TEXT NOT NULL,
    muted_by TEXT NULL,
    muted_at TEXT NOT NULL,
    reason TEXT NULL,
    PRIMARY KEY (room_id, user_id)
);

CREATE TABLE message_reports (
    id TEXT PRIMARY KEY,
    room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    sender_id TEXT NOT NULL,
    reporter_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT NULL,
    created_at TEXT NOT NULL,
    resolved_by TEXT NULL,
    resolved_at TEXT NULL,
    outcome TEXT NULL,
    UNIQUE (message_id, reporter_id)
);
CREATE INDEX message_reports_room ON message_reports (room_id);

CREATE TABLE moderation_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id TEXT NOT NULL UNIQUE,
    room_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT NULL,
    actor_name TEXT NULL,
    user_id TEXT NULL,
    message_id TEXT NULL,
    report_id TEXT NULL,
    reason TEXT NULL,
    until TEXT NULL,
    occurred_at TEXT NOT NULL
);
CREATE INDEX moderation_actions_room ON moderation_actions (room_id, id);

CREATE TRIGGER moderation_actions_no_update BEFORE UPDATE ON moderation_actions
BEGIN
    SELECT RAISE(ABORT, 'moderation_actions is append-only: UPDATE is refused');
END;

CREATE TRIGGER moderation_actions_no_delete BEFORE DELETE ON moderation_actions
BEGIN
    SELECT RAISE(ABORT, 'moderation_actions is append-only: DELETE is refused');
END;
