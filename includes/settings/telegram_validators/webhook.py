
    @field_validator("webhook_secret")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            msg = "must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule)"
            raise ValueError(msg)
        return value
