-- One row per transaction: each bank's part (its vote, its acknowledgement and the redelivery of the decision to it)
-- moves from transaction_participants into columns of the transaction's own row. A transfer has at most two banks:
-- the debited one (from_bank, columns from_*) and the credited one (to_bank, columns to_*). A transfer within one bank
-- has one participant, in the from_* columns; its to_* columns stay unused, with to_acknowledged TRUE so that nothing
-- ever waits on them.
--
-- Why: every write of the log's normal path (begin, decision, acknowledgements) then changes one row instead of three,
-- and H2 maintains one secondary index (transactions_by_state) instead of two tables' worth: the log's SQL was the
-- largest cost of a transfer at the coordinator (src-docs/benchmarks.md, session 7).
--
-- next_delivery_at: when the next delivery of the decision to one of the banks is due (the earliest next_attempt_at
-- of the banks that have not acknowledged it); NULL while undecided and once ended. transactions_by_state now indexes
-- (state, next_delivery_at): redelivery finds due decisions by a range scan, however many wait for a bank that is down,
-- and the state lookups (undecided, in doubt) use its first column; one index where there were two tables' worth.
ALTER TABLE transactions ADD COLUMN from_vote VARCHAR(8);
ALTER TABLE transactions ADD COLUMN from_vote_reason VARCHAR(32);
ALTER TABLE transactions ADD COLUMN from_acknowledged BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE transactions ADD COLUMN from_acknowledged_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE transactions ADD COLUMN from_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE transactions ADD COLUMN from_last_error VARCHAR(500);
ALTER TABLE transactions ADD COLUMN from_next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE transactions ADD COLUMN from_heuristic VARCHAR(16);
ALTER TABLE transactions ADD COLUMN from_heuristic_state VARCHAR(16);
ALTER TABLE transactions ADD COLUMN to_vote VARCHAR(8);
ALTER TABLE transactions ADD COLUMN to_vote_reason VARCHAR(32);
ALTER TABLE transactions ADD COLUMN to_acknowledged BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE transactions ADD COLUMN to_acknowledged_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE transactions ADD COLUMN to_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE transactions ADD COLUMN to_last_error VARCHAR(500);
ALTER TABLE transactions ADD COLUMN to_next_attempt_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE transactions ADD COLUMN to_heuristic VARCHAR(16);
ALTER TABLE transactions ADD COLUMN to_heuristic_state VARCHAR(16);
ALTER TABLE transactions ADD COLUMN next_delivery_at TIMESTAMP WITH TIME ZONE;
-- Counts the row's writes. The log writer keeps the rows it wrote last in memory and writes over one only if the
-- row is still the version it wrote (a batch that failed after it did leaves the row older): no read before a write.
ALTER TABLE transactions ADD COLUMN row_version INT DEFAULT 0 NOT NULL;

-- Existing transactions keep every bank's part exactly as it was (in-doubt deliveries included).
UPDATE transactions t
SET (from_vote, from_vote_reason, from_acknowledged, from_acknowledged_at, from_attempts, from_last_error,
     from_next_attempt_at, from_heuristic, from_heuristic_state) =
    (SELECT p.vote, p.vote_reason, p.acknowledged, p.acknowledged_at, p.attempts, p.last_error, p.next_attempt_at,
            p.heuristic, p.heuristic_state
     FROM transaction_participants p WHERE p.tx_id = t.tx_id AND p.bank_id = t.from_bank)
WHERE EXISTS (SELECT 1 FROM transaction_participants p WHERE p.tx_id = t.tx_id AND p.bank_id = t.from_bank);

UPDATE transactions t
SET (to_vote, to_vote_reason, to_acknowledged, to_acknowledged_at, to_attempts, to_last_error,
     to_next_attempt_at, to_heuristic, to_heuristic_state) =
    (SELECT p.vote, p.vote_reason, p.acknowledged, p.acknowledged_at, p.attempts, p.last_error, p.next_attempt_at,
            p.heuristic, p.heuristic_state
     FROM transaction_participants p WHERE p.tx_id = t.tx_id AND p.bank_id = t.to_bank)
WHERE t.to_bank <> t.from_bank
  AND EXISTS (SELECT 1 FROM transaction_participants p WHERE p.tx_id = t.tx_id AND p.bank_id = t.to_bank);

UPDATE transactions SET to_acknowledged = TRUE WHERE to_bank = from_bank;

-- Whatever was waiting is due at once (a restart makes every unacknowledged delivery due anyway).
UPDATE transactions SET next_delivery_at = CURRENT_TIMESTAMP
WHERE state IN ('COMMITTING', 'ABORTING') AND (NOT from_acknowledged OR NOT to_acknowledged);

DROP TABLE transaction_participants;
DROP INDEX transactions_by_state;
CREATE INDEX transactions_by_state ON transactions (state, next_delivery_at);

ALTER TABLE transactions ADD CONSTRAINT transactions_heuristic
    CHECK ((from_heuristic IS NULL OR from_heuristic IN ('MATCH', 'MISMATCH'))
       AND (to_heuristic IS NULL OR to_heuristic IN ('MATCH', 'MISMATCH')));
