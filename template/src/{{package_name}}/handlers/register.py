"""``/register``: a dialog that asks for a name, then an e-mail, and saves the profile."""

import re

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from aiogram_i18n import I18nContext

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


class Registration(StatesGroup):
    """The steps of the dialog."""

    name = State()
    email = State()


@router.message(Command("register"))
async def register(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Start (or restart) the dialog."""
    await state.set_state(Registration.name)
    await message.answer(i18n.get("register-ask-name"))


@router.message(Registration.name, F.text)
async def got_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Take the name, then ask for the e-mail."""
    name = (message.text or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH or CONTROL_CHARACTERS.search(name):
        await message.answer(i18n.get("register-bad-name", max=MAX_NAME_LENGTH))
        return
    # Run again after a failure, both writes give the same result.
    await state.update_data(name=name)
    await state.set_state(Registration.email)
    await message.answer(i18n.get("register-ask-email", name=name))


@router.message(Registration.email, F.text)
async def got_email(
    message: Message, state: FSMContext, users: UserRepository, i18n: I18nContext
) -> None:
    """Take the e-mail; if it is valid, save the profile and end the dialog."""
    email = (message.text or "").strip()
    valid = EMAIL_PATTERN.fullmatch(email) and not CONTROL_CHARACTERS.search(email)
    if message.from_user is None or len(email) > MAX_EMAIL_LENGTH or not valid:
        # The state stays: the next message is another try at the e-mail.
        await message.answer(i18n.get("register-bad-email"))
        return
    # Safe to run again when a backend failed midway and the update is tried again: the
    # profile is an upsert, and the state, this step's mark, is cleared last. Data without a
    # name means an earlier try cleared it, after it saved the profile.
    name = (await state.get_data()).get("name")
    if name is not None:
        await users.save_profile(Profile(user_id=message.from_user.id, name=name, email=email))
    await state.set_data({})
    await state.set_state(None)
    await message.answer(i18n.get("register-saved"))


@router.message(Registration.name)
@router.message(Registration.email)
async def not_text(message: Message, i18n: I18nContext) -> None:
    """Answer stickers, photos and the like during the dialog."""
    await message.answer(i18n.get("register-not-text"))
