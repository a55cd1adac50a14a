-- Retention deletes decided transactions once older than twophase.retention.period, oldest first: this index finds
-- them without reading the rest of the log. A PREPARED row has no decided_at, so it is never in the range. New entries
-- go at the index's end (decided_at grows with time), and retention takes them from its start.
CREATE INDEX participant_log_by_decision ON participant_log (decided_at);
