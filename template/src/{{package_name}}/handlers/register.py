"""``/register``: a dialog that asks for a name, then an e-mail, and saves the profile."""

import re

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from ..users import Profile, UserRepository

router = Router(name=__name__)
# A dialog belongs to a user: a message sent on behalf of a channel has no sender, so no state.
router.message.filter(F.from_user)

MAX_NAME_LENGTH = 64
MAX_EMAIL_LENGTH = 254  # what an address can be (RFC 5321), and what the users table holds
# Deliberately loose: one "@", a dot in the domain, no spaces. Real validation is sending
# a message to the address, which this bot does not do.
EMAIL_PATTERN = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
# None belongs in a name or an address, and PostgreSQL cannot store NUL in text at all.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
INVALID_EMAIL = "That is not an e-mail address. Please send one like name@example.com."


class Registration(StatesGroup):
    """The steps of the dialog."""

    name = State()
    email = State()


@router.message(Command("register"))
async def register(message: Message, state: FSMContext) -> None:
    """Start (or restart) the dialog."""
    await state.set_state(Registration.name)
    await message.answer("What is your name?")


@router.message(Registration.name, F.text)
async def got_name(message: Message, state: FSMContext) -> None:
    """Take the name, then ask for the e-mail."""
    name = (message.text or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH or CONTROL_CHARACTERS.search(name):
        await message.answer(f"Please send a name of 1 to {MAX_NAME_LENGTH} characters.")
        return
    # Run again after a failure, both writes give the same result.
    await state.update_data(name=name)
    await state.set_state(Registration.email)
    await message.answer(f"Nice to meet you, {html.quote(name)}. What is your e-mail?")


@router.message(Registration.email, F.text)
async def got_email(message: Message, state: FSMContext, users: UserRepository) -> None:
    """Take the e-mail; if it is valid, save the profile and end the dialog."""
    email = (message.text or "").strip()
    valid = EMAIL_PATTERN.fullmatch(email) and not CONTROL_CHARACTERS.search(email)
    if message.from_user is None or len(email) > MAX_EMAIL_LENGTH or not valid:
        # The state stays: the next message is another try at the e-mail.
        await message.answer(INVALID_EMAIL)
        return
    # Safe to run again when a backend failed midway and the update is tried again: the
    # profile is an upsert, and the state, this step's mark, is cleared last. Data without a
    # name means an earlier try cleared it, after it saved the profile.
    name = (await state.get_data()).get("name")
    if name is not None:
        await users.save_profile(Profile(user_id=message.from_user.id, name=name, email=email))
    await state.set_data({})
    await state.set_state(None)
    await message.answer("Saved! Send /profile to see your profile.")


@router.message(Registration.name)
@router.message(Registration.email)
async def not_text(message: Message) -> None:
    """Answer stickers, photos and the like during the dialog."""
    await message.answer("Please answer with text, or send /cancel to stop.")
