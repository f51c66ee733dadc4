"""The bot's conversations, fed through the real dispatcher, storage and user data."""

import logging
from datetime import datetime

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from aiogram.types import Chat, Message, MessageEntity, User

from conftest import FlakyStorage, TelegramUser

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for a message's text
INVALID_EMAIL = "That is not an e-mail address. Please send one like name@example.com."


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


async def test_awkward_messages(user: TelegramUser) -> None:
    # HTML in the name Telegram sends, a NUL byte, the largest 64-bit ids.
    user.id = 2**63 - 1 - user.id % 2**20
    user.user = User(id=user.id, is_bot=False, first_name="<b>Ada</b> & \x00Co")
    long_text = "x" * (MAX_MESSAGE_LENGTH + 1)
    conversation = [
        ("/start", "Hello, &lt;b&gt;Ada&lt;/b&gt; &amp; "),
        (long_text, "I did not understand that."),
        ("/register", "What is your name?"),
        (long_text, "Please send a name"),
        ("Ada\x00Lovelace", "Please send a name"),
        ("<i>Ada</i> & Co", "Nice to meet you, &lt;i&gt;Ada&lt;/i&gt; &amp; Co."),
        ("ada\x00@example.com", INVALID_EMAIL),
        ("ada@" + "x" * MAX_MESSAGE_LENGTH + ".com", INVALID_EMAIL),
        ("ada@example.com", "Saved!"),
        ("/profile", "Name: &lt;i&gt;Ada&lt;/i&gt; &amp; Co\nE-mail: ada@example.com"),
    ]
    answered = 0
    for text, expected in conversation:
        [reply] = await user.send(text)
        assert expected in reply, (text[:40], reply)
        answered += 1
    print(
        f"awkward messages answered as expected: {answered} of {len(conversation)} "
        f"(user id of {user.id.bit_length()} bits)"
    )


async def test_a_button_nobody_handles_is_answered(
    user: TelegramUser, caplog: pytest.LogCaptureFixture
) -> None:
    presses = ["", "not:json{", "x" * 64, "\x00"]
    answers = [await user.press(data) for data in presses]
    assert answers == [[("This button no longer works.", True)]] * len(presses)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    print(f"stale button presses answered with an alert: {len(answers)} of {len(presses)}")


async def test_messages_without_a_sender_fail_nothing(
    user: TelegramUser, caplog: pytest.LogCaptureFixture
) -> None:
    # Sent on behalf of a channel or anonymously in a group: Telegram leaves out "from".
    chat = Chat(id=-user.id, type="supergroup")
    commands = ["/start", "/register", "/profile", "/cancel", "hello"]
    answers = []
    for number, text in enumerate(commands):
        command = text if text.startswith("/") else ""
        message = Message(
            message_id=number,
            date=datetime.now().astimezone(),
            chat=chat,
            text=text,
            entities=[MessageEntity(type="bot_command", offset=0, length=len(command))]
            if command
            else None,
        )
        requests = await user.feed(message=message)
        answers += [r.text for r in requests if isinstance(r, SendMessage)]
    assert not [text for text in answers if text.startswith("Sorry, something went wrong")]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    print(f"messages without a sender handled without failing: {len(commands)} of {len(commands)}")


REGISTRATION = ["/register", "Ada Lovelace", "ada@example.com", "/profile"]
FAILED = "Sorry, something went wrong. Please try again later."


async def test_each_dialog_step_is_safe_to_run_again(
    bot: Bot, dispatcher: Dispatcher, flaky: FlakyStorage
) -> None:
    """Each storage call of each step fails in turn, once: the step is tried again, and the
    user sees the same answers, and ends with the same profile, as without the failure."""
    clean = TelegramUser(bot, dispatcher)
    expected, calls = [], []
    for text in REGISTRATION:
        before = flaky.calls
        expected.append((await clean.send_until_done(text))[0])
        calls.append(flaky.calls - before)
    runs = 0
    for step, count in enumerate(calls):
        for failing in range(1, count + 1):
            user = TelegramUser(bot, dispatcher)
            for text in REGISTRATION[:step]:
                await user.send_until_done(text)
            flaky.fail(failing)
            answers, tries = await user.send_until_done(REGISTRATION[step])
            assert (answers, tries) == (expected[step], 2), f"{REGISTRATION[step]!r}, {failing}"
            rest = [(await user.send_until_done(text))[0] for text in REGISTRATION[step + 1 :]]
            assert rest == expected[step + 1 :], f"after {REGISTRATION[step]!r} failed once"
            runs += 1
    print(f"storage calls per step {calls}: each failed once in turn, {runs} runs, all alike")
    assert runs >= len(REGISTRATION)


async def test_a_backend_down_for_every_try_gets_one_apology(
    bot: Bot, dispatcher: Dispatcher, flaky: FlakyStorage
) -> None:
    user = TelegramUser(bot, dispatcher)
    flaky.fail(*range(1, 100))
    answers, tries = await user.send_until_done("/register")
    assert (answers, tries) == ([FAILED], 3)
    flaky.fail()
    assert await user.send_until_done("/register") == (["What is your name?"], 1)
