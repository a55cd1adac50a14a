-- A heuristic decision is one an operator took at this bank alone (decided_via = 'HEURISTIC'), for a transaction
-- left in doubt by a coordinator that lost it or is gone: who ordered it and why stay with the row for good.
ALTER TABLE participant_log ADD COLUMN heuristic_by VARCHAR(64);
ALTER TABLE participant_log ADD COLUMN heuristic_reason VARCHAR(500);

-- What the last decision inquiry got, so that an operator can see whether the coordinator answers.
ALTER TABLE participant_log ADD COLUMN last_inquiry_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE participant_log ADD COLUMN last_inquiry_error VARCHAR(500);
