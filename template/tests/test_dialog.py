"""The bot's conversations, fed through the real dispatcher, storage and user data.

The users write in no language the bot knows, so it answers in its fallback language: ``text``
gives what it says there.
"""

import logging
from datetime import datetime

import pytest
from aiogram import Bot, Dispatcher
from aiogram.methods import SendMessage
from aiogram.types import Chat, Message, MessageEntity, User

from conftest import BOT_USERNAME, FlakyStorage, TelegramUser, text

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for a message's text


def profile(user: TelegramUser, name: str, email: str) -> str:
    """What ``/profile`` shows: the profile, then the user's own start link."""
    link = f"https://t.me/{BOT_USERNAME}?start={user.id}"
    return f"{text('profile', name=name, email=email)}\n{text('profile-link', link=link)}"


async def test_start_greets_by_name_escaped(user: TelegramUser) -> None:
    user.user = user.user.model_copy(update={"first_name": "<b>Ada</b>"})
    [reply] = await user.send("/start")
    assert reply == text("start-greeting", name="<b>Ada</b>")
    assert "&lt;b&gt;Ada&lt;/b&gt;" in reply


async def test_profile_before_registering(user: TelegramUser) -> None:
    await user.send("/start")
    assert await user.send("/profile") == [text("profile-missing")]


async def test_register_then_profile(user: TelegramUser) -> None:
    assert await user.send("/register") == [text("register-ask-name")]
    assert await user.send("Ada Lovelace") == [text("register-ask-email", name="Ada Lovelace")]
    assert await user.send("ada@example.com") == [text("register-saved")]
    assert await user.send("/profile") == [
        profile(user, name="Ada Lovelace", email="ada@example.com")
    ]


async def test_invalid_email_is_asked_again(user: TelegramUser) -> None:
    await user.send("/register")
    await user.send("Ada")
    for bad in ("not an email", "ada@", "a b@example.com"):
        assert await user.send(bad) == [text("register-bad-email")]
    assert await user.send("ada@example.com") == [text("register-saved")]


async def test_registering_again_replaces_the_profile(user: TelegramUser) -> None:
    for email in ("old@example.com", "new@example.com"):
        await user.send("/register")
        await user.send("Ada")
        await user.send(email)
    assert await user.send("/profile") == [profile(user, name="Ada", email="new@example.com")]


async def test_cancel_leaves_the_dialog(user: TelegramUser) -> None:
    await user.send("/register")
    await user.send("Ada")
    assert await user.send("/cancel") == [text("cancel-done")]
    assert await user.send("ada@example.com") == [text("fallback")]
    assert await user.send("/profile") == [text("profile-missing")]


async def test_cancel_outside_a_dialog(user: TelegramUser) -> None:
    assert await user.send("/cancel") == [text("cancel-nothing")]


async def test_name_is_checked_and_escaped(user: TelegramUser) -> None:
    await user.send("/register")
    assert await user.send("x" * 65) == [text("register-bad-name", max=64)]
    [reply] = await user.send("<i>Ada</i>")
    assert reply == text("register-ask-email", name="<i>Ada</i>")
    assert "&lt;i&gt;Ada&lt;/i&gt;" in reply


async def test_non_text_during_the_dialog(user: TelegramUser) -> None:
    await user.send("/register")
    assert await user.send(photo=True) == [text("register-not-text")]
    assert await user.send("Ada") == [text("register-ask-email", name="Ada")]


async def test_users_do_not_see_each_other(user: TelegramUser, other_user: TelegramUser) -> None:
    await user.send("/register")
    await user.send("Ada")
    await user.send("ada@example.com")
    await other_user.send("/register")
    assert await other_user.send("ada@example.com") == [
        text("register-ask-email", name="ada@example.com")
    ]
    assert await other_user.send("/profile") == [text("profile-missing")]


async def test_awkward_messages(user: TelegramUser) -> None:
    # HTML in the name Telegram sends, a NUL byte, the largest 64-bit ids.
    user.id = 2**63 - 1 - user.id % 2**20
    user.user = User(id=user.id, is_bot=False, first_name="<b>Ada</b> & \x00Co")
    long_text = "x" * (MAX_MESSAGE_LENGTH + 1)
    conversation = [
        ("/start", "&lt;b&gt;Ada&lt;/b&gt; &amp; "),
        (long_text, text("fallback")),
        ("/register", text("register-ask-name")),
        (long_text, text("register-bad-name", max=64)),
        ("Ada\x00Lovelace", text("register-bad-name", max=64)),
        ("<i>Ada</i> & Co", "&lt;i&gt;Ada&lt;/i&gt; &amp; Co"),
        ("ada\x00@example.com", text("register-bad-email")),
        ("ada@" + "x" * MAX_MESSAGE_LENGTH + ".com", text("register-bad-email")),
        ("ada@example.com", text("register-saved")),
        ("/profile", profile(user, name="<i>Ada</i> & Co", email="ada@example.com")),
    ]
    answered = 0
    for message, expected in conversation:
        [reply] = await user.send(message)
        assert expected in reply, (message[:40], reply)
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
    assert answers == [[(text("button-expired"), True)]] * len(presses)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    print(f"stale button presses answered with an alert: {len(answers)} of {len(presses)}")


async def test_messages_without_a_sender_fail_nothing(
    user: TelegramUser, caplog: pytest.LogCaptureFixture
) -> None:
    # Sent on behalf of a channel or anonymously in a group: Telegram leaves out "from".
    chat = Chat(id=-user.id, type="supergroup")
    commands = ["/start", "/register", "/profile", "/cancel", "hello"]
    answers = []
    for number, sent in enumerate(commands):
        command = sent if sent.startswith("/") else ""
        message = Message(
            message_id=number,
            date=datetime.now().astimezone(),
            chat=chat,
            text=sent,
            entities=[MessageEntity(type="bot_command", offset=0, length=len(command))]
            if command
            else None,
        )
        requests = await user.feed(message=message)
        answers += [r.text for r in requests if isinstance(r, SendMessage)]
    assert text("error-failed") not in answers
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    print(f"messages without a sender handled without failing: {len(commands)} of {len(commands)}")


REGISTRATION = ["/register", "Ada Lovelace", "ada@example.com", "/profile"]


def anonymous(user: TelegramUser, answers: list[str]) -> list[str]:
    """``answers`` without the user's id (their start link's), to compare two users' dialogs."""
    return [answer.replace(str(user.id), "<id>") for answer in answers]


async def test_each_dialog_step_is_safe_to_run_again(
    bot: Bot, dispatcher: Dispatcher, flaky: FlakyStorage
) -> None:
    """Each storage call of each step fails in turn, once: the step is tried again, and the
    user sees the same answers, and ends with the same profile, as without the failure."""
    clean = TelegramUser(bot, dispatcher)
    expected, calls = [], []
    for message in REGISTRATION:
        before = flaky.calls
        expected.append(anonymous(clean, (await clean.send_until_done(message))[0]))
        calls.append(flaky.calls - before)
    runs = 0
    for step, count in enumerate(calls):
        for failing in range(1, count + 1):
            user = TelegramUser(bot, dispatcher)
            for message in REGISTRATION[:step]:
                await user.send_until_done(message)
            flaky.fail(failing)
            answers, tries = await user.send_until_done(REGISTRATION[step])
            assert (anonymous(user, answers), tries) == (expected[step], 2), (
                f"{REGISTRATION[step]!r}, {failing}"
            )
            rest = [
                anonymous(user, (await user.send_until_done(sent))[0])
                for sent in REGISTRATION[step + 1 :]
            ]
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
    assert (answers, tries) == ([text("error-failed")], 3)
    flaky.fail()
    assert await user.send_until_done("/register") == ([text("register-ask-name")], 1)
