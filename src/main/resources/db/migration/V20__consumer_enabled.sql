-- An administrator can switch an LTI 1.1 consumer off without deleting it (its contexts, resource links and
-- outcome targets stay): launches with its key are refused until it is switched on again.
alter table lti_consumer add column enabled boolean not null default true;
