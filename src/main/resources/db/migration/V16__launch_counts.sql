-- Launches by outcome per hour, across replicas: each replica counts in memory and adds its counts here every
-- ~15 s (admission.LaunchTally), one upsert per flush, never a statement per launch. `hour` (the start of the
-- UTC hour) is the time column: the primary key leads with it, so purging old hours is an index range delete.
create table launch_count (
    hour    timestamptz not null,
    -- launched, content_selection, submission_review, account_choice, refused; lti11_… for LTI 1.1 launches
    outcome varchar(40) not null,
    -- the refusal's stable web.Rejection code; '' for outcomes that are not refusals
    reason  varchar(80) not null default '',
    count   bigint      not null check (count >= 0),
    primary key (hour, outcome, reason)
);
