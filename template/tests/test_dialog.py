"""The bot's conversations, fed through the real dispatcher, storage and user data."""

from conftest import TelegramUser


async def test_start_greets_by_name_escaped(user: TelegramUser) -> None:
    user.user = user.user.model_copy(update={"first_name": "<b>Ada</b>"})
    [reply] = await user.send("/start")
    assert reply.startswith("Hello, &lt;b&gt;Ada&lt;/b&gt;!")


async def test_profile_before_registering(user: TelegramUser) -> None:
    await user.send("/start")
    assert await user.send("/profile") == ["You are not registered yet. Send /register."]


async def test_register_then_profile(user: TelegramUser) -> None:
    assert await user.send("/register") == ["What is your name?"]
    assert await user.send("Ada Lovelace") == [
        "Nice to meet you, Ada Lovelace. What is your e-mail?"
    ]
    assert await user.send("ada@example.com") == ["Saved! Send /profile to see your profile."]
    assert await user.send("/profile") == [
        "Your profile\nName: Ada Lovelace\nE-mail: ada@example.com"
    ]


async def test_invalid_email_is_asked_again(user: TelegramUser) -> None:
    await user.send("/register")
    await user.send("Ada")
    for bad in ("not an email", "ada@", "a b@example.com"):
        assert await user.send(bad) == [
            "That is not an e-mail address. Please send one like name@example.com."
        ]
    assert await user.send("ada@example.com") == ["Saved! Send /profile to see your profile."]


async def test_registering_again_replaces_the_profile(user: TelegramUser) -> None:
    for email in ("old@example.com", "new@example.com"):
        await user.send("/register")
        await user.send("Ada")
        await user.send(email)
    assert await user.send("/profile") == ["Your profile\nName: Ada\nE-mail: new@example.com"]


async def test_cancel_leaves_the_dialog(user: TelegramUser) -> None:
    await user.send("/register")
    await user.send("Ada")
    assert await user.send("/cancel") == ["Cancelled."]
    assert await user.send("ada@example.com") == [
        "I did not understand that. Try /register, /profile or /cancel."
    ]
    assert await user.send("/profile") == ["You are not registered yet. Send /register."]


async def test_cancel_outside_a_dialog(user: TelegramUser) -> None:
    assert await user.send("/cancel") == ["Nothing to cancel."]


async def test_name_is_checked_and_escaped(user: TelegramUser) -> None:
    await user.send("/register")
    assert await user.send("x" * 65) == ["Please send a name of 1 to 64 characters."]
    assert await user.send("<i>Ada</i>") == [
        "Nice to meet you, &lt;i&gt;Ada&lt;/i&gt;. What is your e-mail?"
    ]


async def test_non_text_during_the_dialog(user: TelegramUser) -> None:
    await user.send("/register")
    assert await user.send(photo=True) == ["Please answer with text, or send /cancel to stop."]
    assert await user.send("Ada") == ["Nice to meet you, Ada. What is your e-mail?"]


async def test_users_do_not_see_each_other(user: TelegramUser, other_user: TelegramUser) -> None:
    await user.send("/register")
    await user.send("Ada")
    await user.send("ada@example.com")
    await other_user.send("/register")
    assert await other_user.send("ada@example.com") == [
        "Nice to meet you, ada@example.com. What is your e-mail?"
    ]
    assert await other_user.send("/profile") == ["You are not registered yet. Send /register."]
