    mongo_url: str = Field(
        default="mongodb://localhost:27017/{{ package_name }}",
        description="mongodb://[user:password@]host:27017/dbname",
    )
    # pymongo's default is 100 per process, more than small hosted tiers allow for a few.
    mongo_pool_size: int = Field(
        default=50, ge=1, description="most MongoDB connections per bot process"
    )
