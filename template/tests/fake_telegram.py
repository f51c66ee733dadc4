"""A fake Telegram Bot API server for end-to-end tests, on aiohttp.

The bot under test talks to it as to ``api.telegram.org`` (set ``TELEGRAM_API_URL`` to
:attr:`FakeTelegram.url`); the test plays the users with :meth:`FakeTelegram.send_text` and
reads the bot's answers with :meth:`FakeTelegram.wait_reply`. Updates reach the bot the way
it asked for them, and wait until it took them, as in Telegram: queued for ``getUpdates``
(long polling) until an offset above them confirms them, or posted to the URL the bot gave
``setWebhook``, with the secret-token header Telegram sends: oldest first, one at a time per
chat, and again after a failure (no connection, or no 2xx answer) until the bot answers 2xx.

What it implements: ``getMe``, ``getUpdates`` (offset, limit, timeout, allowed_updates, and
the conflicts Telegram reports), ``setWebhook``, ``deleteWebhook``, ``getWebhookInfo`` and
``sendMessage``; every other method is recorded and answers ``true``. Texts are recorded as
the bot sent them: HTML stays HTML. A test can slow ``sendMessage`` down
(:attr:`FakeTelegram.reply_delay`) and have Telegram's flood control refuse calls
(:meth:`FakeTelegram.flood`).
"""

import asyncio
import io
import itertools
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import (
    BodyPartReader,
    ClientError,
    ClientResponse,
    ClientSession,
    ClientTimeout,
    MultipartReader,
    web,
)
from aiohttp.web_request import FileField

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105  # the name, not a secret

# Parameters that are free text: the client sends them as they are, never JSON-encoded, so
# they are not decoded (a text "42" stays a string). Every other value is decoded as JSON
# when it parses, which is how aiogram sends numbers, booleans, lists and objects.
TEXT_PARAMS = frozenset(
    {
        "text",
        "caption",
        "url",
        "secret_token",
        "parse_mode",
        "ip_address",
        "method",
        "query",
        "title",
        "name",
        "description",
        "short_description",
        "emoji",
        "question",
        "explanation",
        "callback_query_id",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "first_name",
        "last_name",
        "phone_number",
        "address",
    }
)
# Update types Telegram leaves out when allowed_updates is empty or was never given.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Seconds before an update the webhook did not take is posted again (Telegram waits longer).
REDELIVERY_DELAY = 0.5
# Seconds Telegram waits for a webhook's answer.
WEBHOOK_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Bot API request the bot made: the method as it spelled it, its parameters, and when.

    ``at`` is the ``time.monotonic()`` of its arrival.
    """

    method: str
    params: Mapping[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A message the bot sent with ``sendMessage``."""

    message_id: int
    chat_id: int
    text: str


@dataclass(frozen=True, slots=True)
class Copy:
    """A message the bot copied with ``copyMessage``, when (``time.monotonic()``)."""

    chat_id: int
    from_chat_id: int
    message_id: int
    at: float


@dataclass(frozen=True, slots=True)
class Webhook:
    """What the bot last gave ``setWebhook``."""

    url: str
    secret_token: str | None
    max_connections: int = 40


@dataclass(frozen=True, slots=True)
class Delivery:
    """One post of an update to the webhook: its HTTP status, or ``None`` if none came."""

    update_id: int
    status: int | None


class FakeTelegram:
    """A Bot API server on 127.0.0.1 for one bot, the one whose token it is given.

    Use it as an async context manager, or call :meth:`start` and :meth:`stop`. Requests with
    another token are answered 401, as Telegram answers a revoked token.
    """

    def __init__(self, token: str, *, bot_username: str = "test_bot") -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Test Bot",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.webhook: Webhook | None = None
        self.reply_delay = 0.0
        """Seconds each ``sendMessage`` takes before the message is sent and answered."""
        self._calls: list[ApiCall] = []
        self._messages: list[SentMessage] = []
        # Per chat: how many messages the bot had sent in all when the test last wrote there.
        self._marks: dict[int, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: list[str] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._poll_generation = 0
        # Per method (lower case): how many more calls flood control refuses, and the wait.
        self._floods: dict[str, tuple[int, int]] = {}
        self._deliveries: list[Delivery] = []
        self._posting: dict[int, asyncio.Task[None]] = {}  # by update id
        self._repost_at: dict[int, float] = {}  # by update id: loop time of the next post
        self._delivering: asyncio.Task[None] | None = None
        self._waiters: set[asyncio.Event] = set()
        self._runner: web.AppRunner | None = None
        self._client: ClientSession | None = None
        self._port: int | None = None
        self._closed = False
        # The command menus the bot set, by scope type and language code ("" for the default).
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.blocked: set[int] = set()
        """Chats whose users blocked the bot: messages to them fail with 403, as in Telegram."""
        self.copies: list[Copy] = []
        """The messages the bot copied (``copyMessage``) and Telegram delivered, oldest first."""

    # -- life cycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])
        self._client = ClientSession()
        self._closed = False
        self._delivering = asyncio.create_task(self._deliver())

    async def stop(self) -> None:
        """Answer the long polls still waiting, close every connection and stop listening."""
        self._closed = True
        self._notify()
        tasks = [*self._posting.values(), *([self._delivering] if self._delivering else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._delivering = None
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> "FakeTelegram":
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def url(self) -> str:
        """The base URL for ``TELEGRAM_API_URL``, e.g. ``http://127.0.0.1:41234``."""
        if self._port is None:
            msg = "the fake Telegram server is not started"
            raise RuntimeError(msg)
        return f"http://127.0.0.1:{self._port}"

    # -- what the bot did ----------------------------------------------------------------------

    @property
    def calls(self) -> list[ApiCall]:
        """Every request made with the bot's token so far, oldest first (a copy)."""
        return list(self._calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        """The requests to one method (case-insensitive, as in Telegram), oldest first."""
        return [call for call in self._calls if call.method.lower() == method.lower()]

    @property
    def pending_updates(self) -> int:
        """How many updates the bot has not taken yet.

        They wait for ``getUpdates`` or were fetched but not confirmed, or wait for the
        webhook to answer 2xx.
        """
        return len(self._updates)

    @property
    def deliveries(self) -> list[Delivery]:
        """Every post of an update to the webhook so far, oldest first (a copy)."""
        return list(self._deliveries)

    def messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """The messages the bot sent, to one chat or to all, oldest first."""
        return [m for m in self._messages if chat_id is None or m.chat_id == chat_id]

    # -- what the users do ---------------------------------------------------------------------

    def text_update(
        self, user_id: int, text: str, *, first_name: str = "Ada", language_code: str | None = None
    ) -> dict[str, Any]:
        """The update Telegram makes of a user writing ``text`` to the bot, with a new id.

        Args:
            user_id: the user's Telegram id, also the id of the private chat.
            text: the message; a leading ``/command`` gets its bot_command entity.
            first_name: the user's first name.
            language_code: the language of the user's Telegram app, if it tells.
        """
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            user["language_code"] = language_code
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": user,
            "text": text,
        }
        command = re.match(r"/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?", text)
        if command:
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return {"update_id": next(self._update_ids), "message": message}

    def send_text(self, user_id: int, text: str, *, first_name: str = "Ada") -> int:
        """Have a user write ``text`` to the bot in their private chat (see :meth:`text_update`).

        The update waits for the bot: for ``getUpdates``, or for the webhook, where it is
        posted at once and again after each failure. :meth:`wait_reply` waits for the answer.

        Returns:
            The update's id.
        """
        update = self.text_update(user_id, text, first_name=first_name)
        self._marks[user_id] = len(self._messages)
        self._updates.append(update)
        self._notify()
        return int(update["update_id"])

    def press(self, user_id: int, data: str, message_id: int) -> int:
        """Have a user press an inline button carrying ``data`` under message ``message_id``
        of their private chat; return the update's id."""
        user = {"id": user_id, "is_bot": False, "first_name": "Ada"}
        chat = {"id": user_id, "type": "private", "first_name": "Ada"}
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": "?"}
        press = {"id": str(next(self._update_ids)), "from": user, "chat_instance": "c"}
        press |= {"message": message, "data": data}
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, "callback_query": press})
        self._notify()
        return update_id

    async def post_to_webhook(
        self, body: bytes | Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> int:
        """Post one request to the webhook, as anyone who found its URL could; no retry.

        Args:
            body: the request body: raw bytes, or an update (see :meth:`text_update`) as JSON.
            headers: headers to send instead of the secret-token header Telegram sends,
                e.g. ``{}`` to leave the secret out.

        Returns:
            The HTTP status the bot answered.

        Raises:
            ConnectionError: no webhook is set, or nothing answers at its URL.
        """
        if self.webhook is None:
            msg = "the bot set no webhook"
            raise ConnectionError(msg)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        if headers is None:
            headers = self._secret_header(self.webhook)
        try:
            return await self._post(self.webhook.url, data, headers)
        except ClientError as error:
            msg = f"cannot post to the webhook {self.webhook.url}: {error!r}"
            raise ConnectionError(msg) from error

    def flood(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` as Telegram's flood control does.

        Each gets 429 "Too Many Requests: retry after N" with ``parameters.retry_after``;
        nothing is sent.
        """
        self._floods[method.lower()] = (times, retry_after)

    async def wait_reply(
        self,
        chat_id: int,
        contains: str,
        timeout: float = 10.0,
    ) -> str:
        """Wait for the bot to answer in a chat.

        Args:
            chat_id: the chat, for a private chat the user's id.
            contains: a part of the awaited text, as the bot sent it (HTML stays HTML).
            timeout: seconds to wait.

        Returns:
            The text of the first message the bot sent to the chat after the last
            :meth:`send_text` there that contains ``contains``.

        Raises:
            AssertionError: no such message came within ``timeout``; the message lists what
                the bot did send to the chat.
        """
        mark = self._marks.get(chat_id, 0)

        def found() -> SentMessage | None:
            later = self._messages[mark:]
            return next((m for m in later if m.chat_id == chat_id and contains in m.text), None)

        await self._wait_until(lambda: found() is not None, timeout)
        reply = found()
        if reply is None:
            since = [m.text for m in self._messages[mark:] if m.chat_id == chat_id]
            before = [m.text for m in self._messages[:mark] if m.chat_id == chat_id]
            msg = (
                f"the bot sent no message containing {contains!r} to chat {chat_id} within "
                f"{timeout} s; since the user last wrote it sent: {since!r}; before: {before!r}; "
                f"its last Bot API calls: {[call.method for call in self._calls[-20:]]!r}"
            )
            raise AssertionError(msg)
        return reply.text

    # -- the Bot API ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _answer(401, description="Unauthorized")
        method = request.match_info["method"]
        params = await _read_params(request)
        status, result = await self._execute(method, params)
        if status == 200:
            return _answer(status, result)
        if status == 429:
            description = f"Too Many Requests: retry after {result}"
            return _answer(status, description=description, parameters={"retry_after": result})
        return _answer(status, description=result)

    async def _execute(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        """Run one method; return the HTTP status and the result (or the error description,
        or for a 429 the seconds to wait)."""
        self._calls.append(ApiCall(method, params))
        self._notify()
        name = method.lower()
        refusals, retry_after = self._floods.get(name, (0, 0))
        if refusals > 0:
            self._floods[name] = (refusals - 1, retry_after)
            return 429, retry_after
        if name == "getme":
            return 200, self.bot_user
        if name == "getupdates":
            return await self._get_updates(params)
        if name == "setwebhook":
            return self._set_webhook(params)
        if name == "deletewebhook":
            return self._delete_webhook(params)
        if name == "getwebhookinfo":
            return 200, self._webhook_info()
        if name in ("getmycommands", "setmycommands", "deletemycommands"):
            return self._my_commands(name, params)
        if name in ("sendmessage", "copymessage") and _chat(params) in self.blocked:
            return 403, "Forbidden: bot was blocked by the user"
        if name == "sendmessage":
            await asyncio.sleep(self.reply_delay)
            return self._send_message(params)
        if name == "copymessage":
            return self._copy_message(params)
        return 200, True

    async def _get_updates(self, params: Mapping[str, Any]) -> tuple[int, Any]:
        if self.webhook is not None:
            return 409, (
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first"
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"] or [])
        # Asking from an offset confirms, and so forgets, every update before it.
        if offset < 0:
            self._updates = self._updates[offset:]
        elif offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # A newer getUpdates ends an older one that still waits, as in Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()

        def pending() -> list[dict[str, Any]]:
            return [u for u in self._updates if self._is_allowed(u)][:limit]

        def answered() -> bool:
            superseded = self._poll_generation != generation
            return bool(pending()) or superseded or self.webhook is not None

        await self._wait_until(answered, timeout)
        if self._poll_generation != generation:
            return 409, (
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        return 200, pending()

    def _is_allowed(self, update: Mapping[str, Any]) -> bool:
        kind = next(key for key in update if key != "update_id")
        if not self._allowed_updates:
            return kind not in OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _set_webhook(self, params: Mapping[str, Any]) -> tuple[int, Any]:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not SECRET_PATTERN.fullmatch(str(secret)):
            return 400, "Bad Request: secret token contains unallowed characters"
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"] or [])
        self.webhook = Webhook(
            url=url,
            secret_token=None if secret is None else str(secret),
            max_connections=int(params.get("max_connections") or 40),
        )
        self._notify()
        return 200, True

    def _delete_webhook(self, params: Mapping[str, Any]) -> tuple[int, Any]:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        self._notify()
        return 200, True

    def _webhook_info(self) -> dict[str, Any]:
        return {
            "url": "" if self.webhook is None else self.webhook.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
            "allowed_updates": self._allowed_updates,
        }

    def _my_commands(self, name: str, params: Mapping[str, Any]) -> tuple[int, Any]:
        scope = params.get("scope") or {"type": "default"}
        key = (str(scope.get("type")), str(params.get("language_code") or ""))
        if name == "getmycommands":
            return 200, self.commands.get(key, [])
        if name == "setmycommands":
            self.commands[key] = list(params["commands"])
        else:
            self.commands.pop(key, None)
        return 200, True

    def _send_message(self, params: Mapping[str, Any]) -> tuple[int, Any]:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            return 400, "Bad Request: chat not found"
        text = str(params.get("text") or "")
        if not text.strip():
            return 400, "Bad Request: message text is empty"
        sent = SentMessage(message_id=next(self._message_ids), chat_id=chat_id, text=text)
        self._messages.append(sent)
        self._notify()
        chat: dict[str, Any] = {"id": chat_id, "type": "private"}
        if chat_id < 0:
            chat = {"id": chat_id, "type": "group", "title": "Test group"}
        return 200, {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": text,
        }

    def _copy_message(self, params: Mapping[str, Any]) -> tuple[int, Any]:
        chat_id, from_chat_id = _chat(params), _chat(params, "from_chat_id")
        if chat_id is None or from_chat_id is None:
            return 400, "Bad Request: chat not found"
        copied = Copy(chat_id, from_chat_id, int(params["message_id"]), time.monotonic())
        self.copies.append(copied)
        self._notify()
        return 200, {"message_id": next(self._message_ids)}

    # -- webhook -------------------------------------------------------------------------------

    async def _deliver(self) -> None:
        """Post waiting updates to the webhook while one is set, as Telegram does.

        Oldest first, one at a time per chat (a chat's next update waits until the webhook
        took the one before), up to the webhook's ``max_connections`` posts at once; a post
        that fails is made again after :data:`REDELIVERY_DELAY`.
        """
        loop = asyncio.get_running_loop()
        while not self._closed:
            wake_at = loop.time() + 1.0
            webhook = self.webhook
            if webhook is not None:
                waiting_chats: set[object] = set()
                for update in self._updates:
                    update_id = update["update_id"]
                    chat = _chat_of(update)
                    if chat in waiting_chats or not self._is_allowed(update):
                        continue
                    waiting_chats.add(chat)
                    if update_id in self._posting:
                        continue
                    repost_at = self._repost_at.get(update_id, 0.0)
                    if repost_at > loop.time():
                        wake_at = min(wake_at, repost_at)
                        continue
                    if len(self._posting) >= webhook.max_connections:
                        break
                    self._posting[update_id] = asyncio.create_task(
                        self._post_update(webhook, update)
                    )
            await self._wait_for_news(wake_at - loop.time())

    async def _post_update(self, webhook: Webhook, update: dict[str, Any]) -> None:
        """Post one waiting update; forget it if the webhook takes it, else post it later."""
        update_id = update["update_id"]
        status: int | None = None
        try:
            status = await self._post(
                webhook.url, json.dumps(update).encode(), self._secret_header(webhook)
            )
        except ClientError:
            pass  # no connection, or no answer in time: Telegram tries again later
        finally:
            self._deliveries.append(Delivery(update_id, status))
            del self._posting[update_id]
            if status is not None and 200 <= status < 300:
                self._updates = [u for u in self._updates if u["update_id"] != update_id]
                self._repost_at.pop(update_id, None)
            else:
                loop = asyncio.get_running_loop()
                self._repost_at[update_id] = loop.time() + REDELIVERY_DELAY
            self._notify()

    async def _post(self, url: str, data: bytes, headers: Mapping[str, str]) -> int:
        """Post a body to the webhook; run the method its 200 answer may carry."""
        if self._client is None:
            msg = "the fake Telegram server is not started"
            raise RuntimeError(msg)
        async with self._client.post(
            url,
            data=io.BytesIO(data),  # aiohttp warns that a large bytes body blocks the loop
            headers={"Content-Type": "application/json", **headers},
            # A read timeout is a ClientError (a total one is asyncio's TimeoutError).
            timeout=ClientTimeout(total=None, sock_read=WEBHOOK_TIMEOUT),
        ) as response:
            if response.status == 200:
                await self._run_webhook_reply(response)
            else:
                await response.read()
            return response.status

    @staticmethod
    def _secret_header(webhook: Webhook) -> dict[str, str]:
        return {} if webhook.secret_token is None else {SECRET_HEADER: webhook.secret_token}

    async def _run_webhook_reply(self, response: ClientResponse) -> None:
        """Run the method a bot may put in its answer to a webhook request, as Telegram does."""
        params: dict[str, Any] = {}
        if response.content_type == "application/json":
            body = await response.json()
            if isinstance(body, dict):
                params = dict(body)
        elif response.content_type == "multipart/form-data":
            reader = MultipartReader(response.headers, response.content)
            while (part := await reader.next()) is not None:
                if isinstance(part, BodyPartReader) and part.name is not None:
                    params[part.name] = _decode(part.name, await part.text())
        else:
            await response.read()
        method = params.pop("method", None)
        if method:
            await self._execute(str(method), params)

    # -- waiting -------------------------------------------------------------------------------

    def _notify(self) -> None:
        """Wake every waiter to look again: something was called, queued or stopped."""
        for waiter in self._waiters:
            waiter.set()

    async def _wait_for_news(self, seconds: float) -> None:
        """Return at the next :meth:`_notify`, or once ``seconds`` pass."""
        waiter = asyncio.Event()
        self._waiters.add(waiter)
        timer = asyncio.get_running_loop().call_later(max(seconds, 0.0), waiter.set)
        try:
            await waiter.wait()
        finally:
            timer.cancel()
            self._waiters.discard(waiter)

    async def _wait_until(self, condition: Callable[[], bool], seconds: float) -> None:
        """Return once ``condition()`` holds, the server stops, or ``seconds`` pass."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not condition() and not self._closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            waiter = asyncio.Event()
            self._waiters.add(waiter)
            timer = loop.call_later(remaining, waiter.set)
            try:
                await waiter.wait()
            finally:
                timer.cancel()
                self._waiters.discard(waiter)


def _chat_of(update: Mapping[str, Any]) -> object:
    """The chat an update belongs to (its message's), or the update itself if none."""
    event = next((value for key, value in update.items() if key != "update_id"), None)
    if isinstance(event, Mapping) and isinstance(event.get("chat"), Mapping):
        return event["chat"].get("id")
    return ("update", update["update_id"])


def _decode(name: str, value: str) -> Any:
    """Decode a form value: JSON for numbers, booleans, lists and objects; text as it is."""
    if name in TEXT_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Read a request's parameters from its query string and its JSON or form body."""
    params: dict[str, Any] = {name: _decode(name, value) for name, value in request.query.items()}
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
        return params
    for name, value in (await request.post()).items():
        if isinstance(value, FileField):
            params[name] = value.file.read()
        elif isinstance(value, str):
            params[name] = _decode(name, value)
        else:
            params[name] = value
    return params


def _answer(
    status: int,
    result: object = None,
    *,
    description: object = None,
    parameters: Mapping[str, Any] | None = None,
) -> web.Response:
    """A Bot API answer: ``{"ok": true, "result": ...}`` or the error Telegram would give."""
    if status == 200:
        return web.json_response({"ok": True, "result": result})
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": str(description)}
    if parameters:
        body["parameters"] = dict(parameters)
    return web.json_response(body, status=status)


def _chat(params: Mapping[str, Any], name: str = "chat_id") -> int | None:
    """The chat id a request names, if it is one."""
    try:
        return int(params[name])
    except (KeyError, TypeError, ValueError):
        return None
