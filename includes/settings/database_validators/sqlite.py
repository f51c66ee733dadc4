
    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        return check_url(value, ("sqlite://", "sqlite+aiosqlite://"), "sqlite:///path/to/file.db")
