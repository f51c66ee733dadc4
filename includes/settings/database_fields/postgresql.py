    database_url: str = Field(
        default="{{ default_database_url }}",
        description="postgresql://user:password@host:5432/dbname",
    )
    # Every connection one bot process opens to PostgreSQL{{ ' (the FSM storage gets half,' if split_sql_pool else '' }}
    # {{ 'the user data the rest). ' if split_sql_pool else '' }}Processes x this must stay within the server's max_connections.
    database_pool_size: int = Field(
        default=10, ge={{ 2 if split_sql_pool else 1 }}, description="most PostgreSQL connections per bot process"
    )
