-- Console administrators signed in by the school's identity provider (OpenID Connect): recorded so that sessions
-- can name them, keyed by the IdP's issuer and subject (OpenID Connect Core 1.0 §5.7: only iss + sub identify an
-- end-user stably), with no password. Local administrators keep their bcrypt password and unique username; an
-- IdP user may carry the same display name as a local administrator without becoming that administrator.

alter table console_admin add column origin varchar(10) not null default 'local';
alter table console_admin add column oidc_issuer varchar(500);
alter table console_admin add column oidc_subject varchar(255);
alter table console_admin alter column password_hash drop not null;

alter table console_admin add constraint console_admin_origin check (
    (origin = 'local' and password_hash is not null and oidc_issuer is null and oidc_subject is null)
    or (origin = 'oidc' and password_hash is null and oidc_issuer is not null and oidc_subject is not null));

alter table console_admin drop constraint console_admin_username_key;
create unique index console_admin_local_username on console_admin (username) where origin = 'local';
create unique index console_admin_oidc_subject on console_admin (oidc_issuer, oidc_subject) where origin = 'oidc';
