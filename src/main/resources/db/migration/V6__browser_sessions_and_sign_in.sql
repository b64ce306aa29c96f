-- Browser security: server-side sessions (sign-out revokes), sign-in throttling shared by all replicas,
-- and which platform user owns (may refresh) an account's profile.

-- A local sign-in. The cookie carries a random id; only its SHA-256 is stored, so a database read does
-- not yield usable cookies. Deleting the row ends the session on every replica.
create table tool_session (
    id_sha256   varchar(64) primary key,
    account_id  uuid        not null references account (id) on delete cascade,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index tool_session_expiry on tool_session (expires_at);

-- Failed sign-ins counted per key ('user:<name>' or 'address:<ip>') in a fixed window; one upsert per failure.
create table sign_in_failure (
    throttle_key      varchar(420) primary key,
    failures          integer      not null,
    window_started_at timestamptz  not null
);
create index sign_in_failure_window on sign_in_failure (window_started_at);

-- Only the platform user whose launch created the account (auto / anonymous provisioning) refreshes its
-- name and e-mail; a platform user linked to an existing account never rewrites it.
alter table platform_user add column owns_profile boolean not null default false;
-- links made before this column existed: accounts that launches created have generated names and no password
update platform_user pu set owns_profile = true
from account a
where a.id = pu.account_id and a.password_hash is null and a.username ~ '^(lti|anon)-[a-z0-9]{12}$'
  and pu.created_at - a.created_at between interval '-1 second' and interval '1 second';
