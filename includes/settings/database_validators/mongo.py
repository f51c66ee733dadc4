
    @field_validator("mongo_url")
    @classmethod
    def _check_mongo_url(cls, value: str) -> str:
        return check_url(value, ("mongodb://", "mongodb+srv://"), "mongodb://host:27017/dbname")
