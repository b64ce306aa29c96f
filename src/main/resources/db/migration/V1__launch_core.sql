-- LTI 1.3 launch core: tool keys, registrations, deployments, published resources,
-- accounts, contexts, resource links, enrolments, nonces, recorded scores.

create table tool_key (
    id              uuid primary key,
    kid             varchar(64)  not null unique,
    status          varchar(16)  not null check (status in ('NEXT', 'ACTIVE', 'RETIRED')),
    public_jwk      text         not null,
    private_key_jwe text         not null,
    created_at      timestamptz  not null,
    activated_at    timestamptz,
    retired_at      timestamptz
);
-- at most one signing key and one pre-published next key at any time
create unique index tool_key_one_active on tool_key (status) where status = 'ACTIVE';
create unique index tool_key_one_next on tool_key (status) where status = 'NEXT';

-- symmetric secrets shared by all replicas (HMAC for state, hand-off and session tokens),
-- encrypted like the private keys
create table tool_secret (
    name        varchar(64) primary key,
    secret_jwe  text        not null,
    created_at  timestamptz not null
);

create table registration (
    id                         uuid primary key,
    name                       varchar(255)  not null,
    issuer                     varchar(255),
    client_id                  varchar(255),
    authentication_request_url varchar(2048),
    access_token_url           varchar(2048),
    jwks_url                   varchar(2048),
    token_audience             varchar(2048),
    unknown_deployment_policy  varchar(16)   not null default 'REFUSE'
        check (unknown_deployment_policy in ('REFUSE', 'ADD')),
    created_at                 timestamptz   not null,
    updated_at                 timestamptz   not null,
    constraint registration_issuer_client unique (issuer, client_id)
);
create index registration_issuer on registration (issuer);

create table deployment (
    id              uuid primary key,
    registration_id uuid         not null references registration (id) on delete cascade,
    deployment_id   varchar(255) not null,
    name            varchar(255),
    auto_added      boolean      not null default false,
    created_at      timestamptz  not null,
    constraint deployment_per_registration unique (registration_id, deployment_id)
);

create table published_resource (
    id                   uuid primary key,
    title                varchar(255)  not null,
    kind                 varchar(16)   not null check (kind in ('COURSE', 'UNIT', 'ACTIVITY', 'PROBLEM')),
    content_url          varchar(2048),
    max_grade            numeric(12, 4) not null default 100,
    grade_sync           boolean       not null default false,
    member_sync          boolean       not null default false,
    student_provisioning varchar(16)   not null,
    teacher_provisioning varchar(16)   not null,
    enabled              boolean       not null default true,
    created_at           timestamptz   not null,
    updated_at           timestamptz   not null
);

create table account (
    id            uuid primary key,
    username      varchar(100) not null unique,
    email         varchar(320),
    given_name    varchar(255),
    family_name   varchar(255),
    full_name     varchar(255),
    password_hash varchar(255),
    anonymous     boolean      not null default false,
    created_at    timestamptz  not null
);
create index account_email on account (lower(email));

-- a platform user (issuer + sub, Core §5.3.6) is linked to exactly one account
create table platform_user (
    id             uuid primary key,
    issuer         varchar(255) not null,
    subject        varchar(255) not null,
    account_id     uuid         not null references account (id) on delete cascade,
    created_at     timestamptz  not null,
    last_launch_at timestamptz  not null,
    constraint platform_user_identity unique (issuer, subject)
);
create index platform_user_account on platform_user (account_id);

create table lti_context (
    id                      uuid primary key,
    deployment_id           uuid          not null references deployment (id) on delete cascade,
    context_id              varchar(255)  not null,
    label                   varchar(255),
    title                   varchar(255),
    types                   varchar(1024),
    memberships_url         varchar(2048),
    updated_at              timestamptz   not null,
    constraint context_per_deployment unique (deployment_id, context_id)
);

create table resource_link (
    id                uuid primary key,
    deployment_id     uuid          not null references deployment (id) on delete cascade,
    resource_link_id  varchar(255)  not null,
    resource_id       uuid          not null references published_resource (id) on delete cascade,
    context_id        uuid          references lti_context (id) on delete set null,
    title             varchar(255),
    ags_lineitems_url varchar(2048),
    ags_lineitem_url  varchar(2048),
    ags_scopes        varchar(1024),
    updated_at        timestamptz   not null,
    constraint resource_link_per_deployment unique (deployment_id, resource_link_id)
);
create index resource_link_resource on resource_link (resource_id);

create table enrolment (
    id          uuid primary key,
    account_id  uuid         not null references account (id) on delete cascade,
    resource_id uuid         not null references published_resource (id) on delete cascade,
    context_id  uuid         references lti_context (id) on delete cascade,
    role_class  varchar(16)  not null check (role_class in ('LEARNER', 'INSTRUCTOR')),
    roles       text         not null,
    status      varchar(16)  not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    constraint enrolment_once unique nulls not distinct (account_id, resource_id, context_id)
);
create index enrolment_resource on enrolment (resource_id);

-- id_token nonces: consumed once by a unique insert (Security Framework §5.1.3 step 9)
create table lti_nonce (
    value      varchar(255) primary key,
    expires_at timestamptz  not null
);
create index lti_nonce_expiry on lti_nonce (expires_at);

-- scores reported by the content (sample activity for now); delivered by the grades work
create table score (
    id                uuid primary key,
    account_id        uuid           not null references account (id) on delete cascade,
    resource_id       uuid           not null references published_resource (id) on delete cascade,
    resource_link_id  uuid           references resource_link (id) on delete set null,
    score_given       numeric(12, 4) not null,
    score_maximum     numeric(12, 4) not null,
    comment           text,
    activity_progress varchar(32)    not null,
    grading_progress  varchar(32)    not null,
    scored_at         timestamptz    not null,
    created_at        timestamptz    not null
);
create index score_account_resource on score (account_id, resource_id);
