-- Admin console: local administrators (used when no school identity provider signs them in), their
-- server-side sessions, and the one-time link that sets the first administrator's password.

create table console_admin (
    id            uuid         primary key,
    username      varchar(200) not null unique,
    password_hash varchar(100) not null,
    created_at    timestamptz  not null
);

-- The cookie carries 256 random bits; only their SHA-256 is stored. Sessions end after an idle time and after
-- an absolute lifetime (expires_at), and on sign-out (row deleted) on every replica.
create table console_session (
    id_sha256    varchar(64) primary key,
    admin_id     uuid        not null references console_admin (id) on delete cascade,
    created_at   timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at   timestamptz not null
);
create index console_session_expiry on console_session (expires_at);

-- At most one setup link at a time (the single row, id = 1): replicas starting together race on one upsert,
-- so only the winner prints a link, and using it is one conditional update, so it works once.
create table console_setup_link (
    id           smallint    primary key check (id = 1),
    token_sha256 varchar(64) not null,
    created_at   timestamptz not null,
    expires_at   timestamptz not null,
    used_at      timestamptz
);
