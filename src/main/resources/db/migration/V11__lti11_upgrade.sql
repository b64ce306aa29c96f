-- Upgrade from LTI 1.1 to 1.3 on the same platform: which 1.1 consumer became which 1.3 registration
-- (and deployment), by which user-matching rule; and the audit trail of account merges.

-- one link per consumer: a consumer key was one LMS, so it upgrades to one registration
create table lti_consumer_link (
    consumer_id       uuid         primary key references lti_consumer (id) on delete cascade,
    registration_id   uuid         not null references registration (id) on delete cascade,
    -- null: any deployment of the registration
    deployment_row_id uuid         references deployment (id) on delete cascade,
    deployment_id     varchar(255),
    -- SAME_ID: the 1.3 sub is the 1.1 user_id (Moodle); SAME_EMAIL: the accounts' e-mail addresses are equal
    user_matching     varchar(16)  not null check (user_matching in ('SAME_ID', 'SAME_EMAIL')),
    linked_by         varchar(24)  not null check (linked_by in ('DYNAMIC_REGISTRATION', 'ADMIN')),
    created_at        timestamptz  not null
);
create index lti_consumer_link_registration on lti_consumer_link (registration_id);

-- A context or resource link of an upgraded consumer is shared with the linked 1.3 deployment (same context
-- and resource link ids on both sides, as Moodle keeps them), so enrolments and outcome targets stay on the
-- rows the 1.1 launches made. A row still belongs to at least one of them.
alter table lti_context drop constraint context_owner;
alter table lti_context add constraint context_owner check (deployment_id is not null or consumer_id is not null);
alter table resource_link drop constraint resource_link_owner;
alter table resource_link add constraint resource_link_owner
    check (deployment_id is not null or consumer_id is not null);

-- Deleting a consumer deletes its contexts and resource links (on delete cascade), but the rows it shares with a
-- deployment are the 1.3 platform's too: those are released to the deployment instead, enrolments kept.
create function lti_consumer_release_shared() returns trigger language plpgsql as $$
begin
    update lti_context set consumer_id = null where consumer_id = old.id and deployment_id is not null;
    update resource_link set consumer_id = null where consumer_id = old.id and deployment_id is not null;
    return old;
end
$$;
create trigger lti_consumer_release_shared before delete on lti_consumer
    for each row execute function lti_consumer_release_shared();

-- every merge of two accounts (the source is deleted): answers a repeated merge request, and is the audit trail
create table account_merge (
    source_account_id uuid         primary key,
    target_account_id uuid         not null,
    source_username   varchar(100) not null,
    merged_by         varchar(255),
    reason            varchar(32)  not null,
    moved             text         not null,
    merged_at         timestamptz  not null
);
create index account_merge_target on account_merge (target_account_id);
