-- v0.6.0: what the bot keeps beside the profile (users/postgres.py): the language chosen with
-- /language, when the user blocked the bot, the payload of their first /start, and when they
-- were last seen; indexed for the queries of who is active and who blocked the bot. The rows
-- a v0.3 bot wrote stay as they are, with these empty. IF NOT EXISTS: a table that start-up
-- brought up to date before migrations were turned on is adopted.
ALTER TABLE users
    ADD COLUMN IF NOT EXISTS language VARCHAR(16),
    ADD COLUMN IF NOT EXISTS blocked_at TIMESTAMPTZ,
    ADD COLUMN IF NOT EXISTS start_payload VARCHAR(64),
    ADD COLUMN IF NOT EXISTS last_seen_at TIMESTAMPTZ;
CREATE INDEX IF NOT EXISTS ix_users_blocked_at ON users (blocked_at);
CREATE INDEX IF NOT EXISTS ix_users_last_seen_at ON users (last_seen_at);
