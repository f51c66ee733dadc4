"""``/register``: a dialog that asks for a name, then an e-mail, and saves the profile."""

import re

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from ..users import Profile, UserRepository

router = Router(name=__name__)

MAX_NAME_LENGTH = 64
# Deliberately loose: one "@", a dot in the domain, no spaces. Real validation is sending
# a message to the address, which this bot does not do.
EMAIL_PATTERN = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
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
    if not name or len(name) > MAX_NAME_LENGTH:
        await message.answer(f"Please send a name of 1 to {MAX_NAME_LENGTH} characters.")
        return
    await state.update_data(name=name)
    await state.set_state(Registration.email)
    await message.answer(f"Nice to meet you, {html.quote(name)}. What is your e-mail?")


@router.message(Registration.email, F.text)
async def got_email(message: Message, state: FSMContext, users: UserRepository) -> None:
    """Take the e-mail; if it is valid, save the profile and end the dialog."""
    email = (message.text or "").strip()
    if message.from_user is None or not EMAIL_PATTERN.fullmatch(email):
        # The state stays: the next message is another try at the e-mail.
        await message.answer(INVALID_EMAIL)
        return
    data = await state.get_data()
    await users.save_profile(Profile(user_id=message.from_user.id, name=data["name"], email=email))
    await state.clear()
    await message.answer("Saved! Send /profile to see your profile.")


@router.message(Registration.name)
@router.message(Registration.email)
async def not_text(message: Message) -> None:
    """Answer stickers, photos and the like during the dialog."""
    await message.answer("Please answer with text, or send /cancel to stop.")
