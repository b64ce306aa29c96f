-- Issue 13, content tree: a published resource may have children (course -> section -> unit -> activity/problem).
-- A node keeps its id (the resource UUID) through moves, so links made by deep linking keep working.
alter table published_resource drop constraint if exists published_resource_kind_check;
alter table published_resource add constraint published_resource_kind_check
    check (kind in ('COURSE', 'SECTION', 'UNIT', 'ACTIVITY', 'PROBLEM'));
alter table published_resource
    add column parent_id uuid references published_resource (id) on delete cascade,
    add column position integer not null default 0,
    -- a leaf's share of its ancestors' grades (Open edX problem weight); nodes' own weights are not used
    add column weight numeric(12, 4) not null default 1 check (weight >= 0),
    -- how an ancestor's grade is reported before every graded leaf has a score
    add column incomplete_grades varchar(24) not null default 'SEND_PARTIAL'
        check (incomplete_grades in ('SEND_PARTIAL', 'ONLY_WHEN_COMPLETE'));
create index published_resource_parent on published_resource (parent_id, position);

-- The newest score of a learner on a leaf, whatever link it came through: the input of aggregation.
create table leaf_score (
    id            uuid primary key,
    account_id    uuid           not null references account (id) on delete cascade,
    resource_id   uuid           not null references published_resource (id) on delete cascade,
    score_given   numeric(12, 4) not null,
    score_maximum numeric(12, 4) not null,
    scored_at     timestamptz    not null,
    constraint leaf_score_once unique (account_id, resource_id)
);

-- Which leaf scores an aggregated score was computed from, so every aggregate sent can be explained.
create table score_contribution (
    score_id      uuid           not null references score (id) on delete cascade,
    leaf_id       uuid           not null references published_resource (id) on delete cascade,
    leaf_score_id uuid,
    score_given   numeric(12, 4),
    score_maximum numeric(12, 4) not null,
    weight        numeric(12, 4) not null,
    primary key (score_id, leaf_id)
);

-- an aggregated grade of a node, computed from its leaf scores (one debounced row per learner and link)
alter table score drop constraint if exists score_origin_check;
alter table score add constraint score_origin_check
    check (origin in ('CONTENT', 'ADMIN', 'GRADE_SYNC', 'REPLAY', 'AGGREGATE'));
create index score_contribution_leaf_score on score_contribution (leaf_score_id);
