-- The redo journal's place in this database file: the number of the last group-commit batch whose changes the file
-- holds. Each batch sets it in its own transaction, so after a crash the store redoes from its journal exactly the
-- batches after this one (see service-store, JournaledJdbcStore). One row, always.
CREATE TABLE store_journal (
    id          INT    NOT NULL PRIMARY KEY,
    applied_lsn BIGINT NOT NULL,
    CONSTRAINT store_journal_one_row CHECK (id = 1)
);

INSERT INTO store_journal (id, applied_lsn) VALUES (1, 0);
