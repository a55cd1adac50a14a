-- Idempotency keys are scoped to the client that sent them: stored as '<client id>:<key>' (client id up to 64,
-- key up to 255 characters).
ALTER TABLE transactions ALTER COLUMN idempotency_key SET DATA TYPE VARCHAR(330);
