-- Dynamic registration (LTI DR 1.0 §3): one-time, expiring registration URLs created by an
-- administrator for a registration. Only the SHA-256 of the URL's token is stored, so a database
-- read does not reveal a usable URL. used_at is set only when a registration completed, so a failed
-- attempt leaves the URL usable for a retry.
create table registration_url (
    id              uuid primary key,
    registration_id uuid         not null references registration (id) on delete cascade,
    token_sha256    varchar(64)  not null unique,
    expires_at      timestamptz  not null,
    used_at         timestamptz,
    created_at      timestamptz  not null
);
create index registration_url_registration on registration_url (registration_id);

-- what the platform told us during dynamic registration (for support: which LMS, which version)
alter table registration add column product_family_code varchar(64);
alter table registration add column registered_dynamically_at timestamptz;
