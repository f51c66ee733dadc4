
    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        schemes = ("postgresql://", "postgres://", "postgresql+asyncpg://")
        return check_url(value, schemes, "postgresql://user:password@host:5432/dbname")
