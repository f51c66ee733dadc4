"""A Telegram bot on aiogram 3."""
