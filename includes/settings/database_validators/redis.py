
    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str) -> str:
        return check_url(value, ("redis://", "rediss://", "unix://"), "redis://host:6379/0")
