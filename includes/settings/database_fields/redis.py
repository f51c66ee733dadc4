    redis_url: str = Field(
        default="redis://localhost:6379/0", description="redis://[:password@]host:6379/db"
    )
    # aiogram's default prefix; bots sharing one Redis database each need their own.
    redis_key_prefix: str = Field(
        default="fsm", min_length=1, description="first part of every Redis key of this bot"
    )
    redis_pool_size: int = Field(
        default=50, ge=1, description="most Redis connections per bot process"
    )
