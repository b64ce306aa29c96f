-- LTI 1.1: consumers (key + secret per external LMS), their OAuth nonces, contexts and resource
-- links of 1.1 launches (which have no deployment), and Basic Outcomes targets.

create table lti_consumer (
    id                   uuid primary key,
    name                 varchar(255) not null,
    consumer_key         varchar(255) not null unique,
    -- the shared secret, encrypted like the tool's keys: HMAC verification needs the plaintext
    secret_jwe           text         not null,
    -- never entered: filled from the first launch's tool_consumer_instance_guid, then enforced
    instance_guid        varchar(255),
    require_user_account boolean      not null default false,
    auth_mode            varchar(16)  not null default 'ANONYMOUS'
        check (auth_mode in ('ANONYMOUS', 'AUTO_LINK_EMAIL', 'EXISTING_ONLY')),
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null
);

-- OAuth 1.0a nonces (RFC 5849 §3.3): unique per consumer, kept while their timestamp is acceptable
create table lti11_nonce (
    consumer_id uuid         not null references lti_consumer (id) on delete cascade,
    nonce       varchar(255) not null,
    expires_at  timestamptz  not null,
    primary key (consumer_id, nonce)
);
create index lti11_nonce_expiry on lti11_nonce (expires_at);

-- a context or resource link belongs to a 1.3 deployment or to a 1.1 consumer, never both
alter table lti_context alter column deployment_id drop not null;
alter table lti_context add column consumer_id uuid references lti_consumer (id) on delete cascade;
alter table lti_context add constraint context_owner check ((deployment_id is null) <> (consumer_id is null));
alter table lti_context add constraint context_per_consumer unique (consumer_id, context_id);

alter table resource_link alter column deployment_id drop not null;
alter table resource_link add column consumer_id uuid references lti_consumer (id) on delete cascade;
alter table resource_link add constraint resource_link_owner check ((deployment_id is null) <> (consumer_id is null));
alter table resource_link add constraint resource_link_per_consumer unique (consumer_id, resource_link_id);

-- where Basic Outcomes go for one LTI 1.1 user on one resource link (lis_outcome_service_url +
-- lis_result_sourcedid of their latest launch)
create table lti11_outcome_target (
    id               uuid primary key,
    consumer_id      uuid          not null references lti_consumer (id) on delete cascade,
    resource_link_id uuid          not null references resource_link (id) on delete cascade,
    lti_user_id      varchar(255)  not null,
    service_url      varchar(2048) not null,
    sourcedid        text          not null,
    updated_at       timestamptz   not null,
    constraint outcome_target_per_user unique (resource_link_id, lti_user_id)
);
create index lti11_outcome_target_consumer on lti11_outcome_target (consumer_id);
