-- Moodle's per-tool enrolment rules ("Publish as LTI tool" settings): enrolment window, enrolment period
-- counted from the first enrolment, maximum enrolled learners, member sync mode, and the defaults given to
-- accounts a launch or member sync creates.
alter table published_resource
    add column enrol_starts_at      timestamptz,
    add column enrol_ends_at        timestamptz,
    add column enrol_period_seconds bigint      check (enrol_period_seconds is null or enrol_period_seconds > 0),
    add column max_enrolled         integer     not null default 0 check (max_enrolled >= 0),
    add column member_sync_mode     varchar(24) not null default 'ENROL_AND_UNENROL'
        check (member_sync_mode in ('ENROL_AND_UNENROL', 'ENROL_NEW', 'UNENROL_MISSING')),
    add column default_language     varchar(35),
    add column default_timezone     varchar(64),
    add column default_institution  varchar(255),
    add constraint enrol_window_order check (enrol_ends_at is null or enrol_starts_at is null
        or enrol_ends_at > enrol_starts_at);

alter table account
    add column language    varchar(35),
    add column timezone    varchar(64),
    add column institution varchar(255);
