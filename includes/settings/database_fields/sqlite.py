    database_url: str = Field(
        default="{{ default_database_url }}",
        description="sqlite:///path/to/file.db",
    )
