-- The coordinator's write-ahead log. A row is written PREPARING before any bank hears of the transaction; the
-- decision (COMMITTING / ABORTING) is written before any bank or the client hears it; the end (COMMITTED /
-- ABORTED) once every bank that needed the decision acknowledged it.
CREATE TABLE transactions (
    tx_id           VARCHAR(64)              NOT NULL PRIMARY KEY,
    state           VARCHAR(16)              NOT NULL,
    from_bank       VARCHAR(64)              NOT NULL,
    from_account    VARCHAR(64)              NOT NULL,
    to_bank         VARCHAR(64)              NOT NULL,
    to_account      VARCHAR(64)              NOT NULL,
    amount          DECIMAL(19, 2)           NOT NULL,
    reason          VARCHAR(32),
    -- Client retries with the same key find this transaction instead of starting a second one.
    idempotency_key VARCHAR(255),
    request_hash    VARCHAR(64),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at      TIMESTAMP WITH TIME ZONE,
    ended_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT transactions_idempotency_key UNIQUE (idempotency_key),
    CONSTRAINT transactions_state CHECK (state IN ('PREPARING', 'COMMITTING', 'ABORTING', 'COMMITTED', 'ABORTED')),
    CONSTRAINT transactions_amount CHECK (amount > 0)
);

CREATE INDEX transactions_by_state ON transactions (state);

-- One row per bank in a transaction: its vote (NULL = no answer) and whether it acknowledged the decision.
-- attempts / last_error / next_attempt_at drive redelivery with backoff.
CREATE TABLE transaction_participants (
    tx_id           VARCHAR(64)              NOT NULL,
    bank_id         VARCHAR(64)              NOT NULL,
    vote            VARCHAR(8),
    vote_reason     VARCHAR(32),
    acknowledged    BOOLEAN                  NOT NULL DEFAULT FALSE,
    acknowledged_at TIMESTAMP WITH TIME ZONE,
    attempts        INT                      NOT NULL DEFAULT 0,
    last_error      VARCHAR(500),
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (tx_id, bank_id),
    CONSTRAINT transaction_participants_tx FOREIGN KEY (tx_id) REFERENCES transactions (tx_id)
);

CREATE INDEX transaction_participants_undelivered ON transaction_participants (acknowledged, next_attempt_at);
