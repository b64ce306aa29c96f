-- Issue 15, bounded tables: background jobs that must run on one replica at a time hold a lease row. A claim is
-- one conditional upsert (free, or expired: a dead pod's lease runs out), so it works behind PgBouncer in
-- transaction mode, where a session-level advisory lock would outlive its transaction on a shared server
-- connection.
create table job_lease (
    name   varchar(64)  primary key,
    holder varchar(160) not null,
    until  timestamptz  not null
);

-- The purge job finds old sync runs by age; sync_run_latest (resource_id, kind, started_at) serves the
-- "keep the last N per resource" check, not a scan by age across resources. Every other purge has its index:
-- lti_nonce_expiry, lti11_nonce_expiry, tool_session_expiry, console_session_expiry, sign_in_failure_window,
-- score_status (status, created_at) with score_user_link for "a newer sent score exists".
create index sync_run_started on sync_run (started_at);
