CREATE TABLE users (
    id uuid PRIMARY KEY,
    user_name text NOT NULL,
    normalized_user_name text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE refresh_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NULL
);

CREATE TABLE rooms (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    visibility integer NOT NULL,
    owner_id uuid NOT NULL REFERENCES users (id),
    last_seq bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL
);

CREATE TABLE room_members (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role integer NOT NULL,
    joined_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX room_members_user ON room_members (user_id);

CREATE TABLE messages (
    room_id uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    message_id uuid NOT NULL UNIQUE,
    client_message_id text NOT NULL,
    sender_id uuid NOT NULL,
    sender_name text NOT NULL,
    text text NOT NULL,
    sent_at timestamptz NOT NULL,
    posted_at timestamptz NOT NULL,
    PRIMARY KEY (room_id, seq)
);

CREATE TABLE notifications (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    room_id uuid NOT NULL,
    message_id uuid NOT NULL,
    seq bigint NOT NULL,
    kind text NOT NULL,
    sender_id uuid NOT NULL,
    sender_name text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at timestamptz NULL,
    UNIQUE (user_id, message_id, kind)
);

CREATE TABLE outbox_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id uuid NOT NULL,
    message_type text NOT NULL,
    payload text NOT NULL,
    partition_key text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE inbox_messages (
    consumer text NOT NULL,
    message_id uuid NOT NULL,
    processed_at timestamptz NOT NULL,
    PRIMARY KEY (consumer, message_id)
);
