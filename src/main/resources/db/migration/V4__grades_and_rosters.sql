-- Grades and rosters: the score table becomes the outbox (AGS §3.4 scores waiting for delivery),
-- line items found or created per resource link, sync schedules claimed by replicas, member-sync
-- bookkeeping on enrolments.

alter table score
    add column platform_issuer  varchar(255),
    add column platform_subject varchar(255),
    add column status           varchar(16)  not null default 'PENDING'
        check (status in ('PENDING', 'SENT', 'FAILED', 'SUPERSEDED')),
    add column attempts         integer      not null default 0,
    add column next_attempt_at  timestamptz  not null default now(),
    add column last_error       text,
    add column lease_owner      varchar(128),
    add column lease_expires_at timestamptz,
    add column sent_at          timestamptz,
    add column origin           varchar(16)  not null default 'CONTENT'
        check (origin in ('CONTENT', 'ADMIN', 'GRADE_SYNC', 'REPLAY'));
alter table score alter column score_given drop not null;

-- scores recorded before the outbox existed: name their platform user so they are delivered too
update score s set platform_issuer = r.issuer, platform_subject = pu.subject
from resource_link rl
join deployment d on d.id = rl.deployment_id
join registration r on r.id = d.registration_id
join platform_user pu on pu.issuer = r.issuer
where rl.id = s.resource_link_id and pu.account_id = s.account_id;

-- what the workers claim: due pending rows, oldest first
create index score_outbox_due on score (next_attempt_at) where status = 'PENDING';
-- per user and link: order of delivery (AGS timestamps must increase) and the grade sync's "latest"
create index score_user_link on score (account_id, resource_link_id, scored_at);
create index score_status on score (status, created_at);

-- the gradebook column a resource link's scores go to (AGS §3.2), found or created once
create table ags_line_item (
    resource_link_id uuid primary key references resource_link (id) on delete cascade,
    lineitem_url     varchar(2048) not null,
    created_by_tool  boolean       not null,
    resolved_at      timestamptz   not null
);

-- one schedule row per resource and kind of sync; replicas claim due rows with a lease
create table sync_schedule (
    resource_id      uuid         not null references published_resource (id) on delete cascade,
    kind             varchar(16)  not null check (kind in ('GRADES', 'MEMBERS')),
    next_run_at      timestamptz  not null,
    -- per-resource override of lti.grades.sync-interval / lti.roster.sync-interval
    interval_minutes integer      check (interval_minutes between 1 and 10080),
    lease_owner      varchar(128),
    lease_expires_at timestamptz,
    primary key (resource_id, kind)
);

create table sync_run (
    id           uuid primary key,
    resource_id  uuid         not null references published_resource (id) on delete cascade,
    kind         varchar(16)  not null check (kind in ('GRADES', 'MEMBERS')),
    owner        varchar(128) not null,
    started_at   timestamptz  not null,
    finished_at  timestamptz,
    result       varchar(16)  not null check (result in ('RUNNING', 'OK', 'PARTIAL', 'FAILED')),
    counts       text,
    message      text
);
create index sync_run_latest on sync_run (resource_id, kind, started_at desc);

-- NRPS rel="differences" URL kept per context and resource for the next incremental run (NRPS §2.4.2)
create table nrps_cursor (
    resource_id     uuid          not null references published_resource (id) on delete cascade,
    context_id      uuid          not null references lti_context (id) on delete cascade,
    differences_url varchar(4096),
    full_read_at    timestamptz,
    primary key (resource_id, context_id)
);

alter table enrolment
    add column source       varchar(16) not null default 'LAUNCH' check (source in ('LAUNCH', 'MEMBER_SYNC')),
    add column platform_subject varchar(255),
    add column sync_run_id  uuid;

-- members a differences read reported Inactive/Deleted: unenrolled only once every page was read
create table nrps_removal (
    run_id     uuid not null references sync_run (id) on delete cascade,
    account_id uuid not null references account (id) on delete cascade,
    context_id uuid not null references lti_context (id) on delete cascade,
    primary key (run_id, account_id, context_id)
);
