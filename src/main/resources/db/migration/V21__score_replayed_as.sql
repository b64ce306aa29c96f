-- A replayed score names the score that replays it, so a second replay of the same score (a double click, two
-- administrators at once) finds it already replayed under the row lock and sends nothing more.
alter table score add column replayed_as uuid references score (id) on delete set null;
