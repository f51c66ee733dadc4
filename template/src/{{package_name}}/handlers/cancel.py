"""``/cancel``: leave whatever dialog the user is in."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram_i18n import I18nContext

router = Router(name=__name__)
# A dialog belongs to a user: a message sent on behalf of a channel has no sender, so no state.
router.message.filter(F.from_user)


@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    """Forget the current dialog and its answers so far."""
    if await state.get_state() is None:
        await message.answer(i18n.get("cancel-nothing"))
        return
    # The data first, the state last (not FSMContext.clear's order): if the storage fails in
    # between, the update is tried again and finds the dialog still there to cancel.
    await state.set_data({})
    await state.set_state(None)
    await message.answer(i18n.get("cancel-done"))
