-- Transactions with any number of legs and banks (POST /api/transactions). The row keeps its shape, so that a transfer
-- between two banks costs what it did (one row, one guarded UPDATE per write):
--   legs       - every leg, one per line as "bank account amount" (amount signed: negative is a debit; bank and
--                account ids never hold a space). NULL for a transfer from one account to another, which the from_*/
--                to_* columns and amount describe on their own, as before. For any other shape from_bank/to_bank are
--                its first two banks, from_account/to_account its first two legs' accounts, amount the sum of its
--                debits: enough for a glance, the legs are the truth.
--   the first two banks' parts stay in the from_* and to_* columns;
--   more_parts - the third and later banks' parts, as a JSON array of the same nine fields (NULL with two banks or
--                fewer), written in the same UPDATE as the rest of the row, so the version, owner and state guards
--                cover them too;
--   more_waiting   - how many of those parts have not acknowledged the decision (for the dashboard's counts);
--   more_heuristic - whether any of them reported a heuristic outcome (kept past retention, like from_/to_heuristic).
-- Existing rows are transfers of one or two banks: they need no change (legs and more_parts NULL).
ALTER TABLE transactions ADD COLUMN legs VARCHAR(1000000);
ALTER TABLE transactions ADD COLUMN more_parts VARCHAR(1000000);
ALTER TABLE transactions ADD COLUMN more_waiting INT DEFAULT 0 NOT NULL;
ALTER TABLE transactions ADD COLUMN more_heuristic BOOLEAN DEFAULT FALSE NOT NULL;
