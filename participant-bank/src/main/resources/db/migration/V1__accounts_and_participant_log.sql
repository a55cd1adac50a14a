-- Balances. held is money reserved by prepared, undecided transactions; the checks make an overdraft impossible
-- even if the code had a bug.
CREATE TABLE accounts (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    balance    DECIMAL(19, 2)           NOT NULL,
    held       DECIMAL(19, 2)           NOT NULL DEFAULT 0,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT accounts_balance_not_negative CHECK (balance >= 0),
    CONSTRAINT accounts_held_within_balance CHECK (held >= 0 AND held <= balance)
);

-- The participant log: one row per transaction this bank has heard of. A row is written PREPARED before the
-- bank votes yes, ABORTED when it votes no or when an abort arrives first (a tombstone), and moves from
-- PREPARED to COMMITTED or ABORTED exactly once, in the same database transaction that changes the balances.
CREATE TABLE participant_log (
    tx_id            VARCHAR(64)              NOT NULL PRIMARY KEY,
    state            VARCHAR(16)              NOT NULL,
    reason           VARCHAR(32),
    prepared_at      TIMESTAMP WITH TIME ZONE,
    decided_at       TIMESTAMP WITH TIME ZONE,
    -- Who told us the decision: COORDINATOR (phase 2 push) or INQUIRY (we asked).
    decided_via      VARCHAR(16),
    inquiry_attempts INT                      NOT NULL DEFAULT 0,
    next_inquiry_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT participant_log_state CHECK (state IN ('PREPARED', 'COMMITTED', 'ABORTED'))
);

CREATE INDEX participant_log_in_doubt ON participant_log (state, next_inquiry_at);

CREATE TABLE participant_operations (
    tx_id      VARCHAR(64)    NOT NULL,
    seq        INT            NOT NULL,
    account_id VARCHAR(64)    NOT NULL,
    type       VARCHAR(8)     NOT NULL,
    amount     DECIMAL(19, 2) NOT NULL,
    PRIMARY KEY (tx_id, seq),
    CONSTRAINT participant_operations_tx FOREIGN KEY (tx_id) REFERENCES participant_log (tx_id),
    CONSTRAINT participant_operations_type CHECK (type IN ('DEBIT', 'CREDIT')),
    CONSTRAINT participant_operations_amount CHECK (amount > 0)
);
