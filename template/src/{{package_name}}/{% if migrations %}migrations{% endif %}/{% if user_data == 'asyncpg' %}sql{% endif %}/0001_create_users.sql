-- The users table (users/postgres.py reads and writes it). IF NOT EXISTS: a database the bot
-- built before migrations were turned on already has it, and this adopts it.
CREATE TABLE IF NOT EXISTS users (
    id BIGINT PRIMARY KEY,  -- Telegram ids exceed 32 bits
    username VARCHAR(32),
    full_name VARCHAR(256) NOT NULL,
    name VARCHAR(64),
    email VARCHAR(254),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
