    webhook_url: HttpUrl = Field(description="public HTTPS URL Telegram posts updates to")
    webhook_secret: SecretStr = Field(
        description="1-256 characters A-Z a-z 0-9 _ -; Telegram sends it with every update"
    )
    # Telegram's own default is 40, for the bot as a whole: every process behind the balancer.
    webhook_max_connections: int = Field(
        default=40, ge=1, le=100, description="most updates Telegram posts at once, 1-100"
    )
    # Off by default: it reads X-Forwarded-For, which only a proxy that sets it (as Caddy does)
    # makes trustworthy, and behind a proxy that hides the client's address it refuses Telegram.
    webhook_ip_filter: bool = Field(
        default=False, description="refuse webhook requests from outside Telegram's networks"
    )
