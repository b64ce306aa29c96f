-- The content application's own credential, one per published resource: it posts scores with it
-- (HTTP Basic key_id:secret) together with the learner's launch token, which alone is not enough since it
-- sits in the learner's browser. The secret is 32 random bytes shown once; only its SHA-256 is stored.
-- Rotating replaces the row. Resources published before this migration have none until an administrator
-- issues one (POST /api/v1/resources/{id}/content-credential).
create table content_credential (
    resource_id   uuid primary key references published_resource (id) on delete cascade,
    key_id        varchar(64) not null unique,
    secret_sha256 varchar(64) not null,
    created_at    timestamptz not null
);
