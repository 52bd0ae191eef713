"""A fake Telegram Bot API on 127.0.0.1 for tests that drive the real python-telegram-bot.

    async with FakeBotAPI() as fake:
        bot = telegram.Bot(fake.token, base_url=f"{fake.url}/bot")   # or ApplicationBuilder
        fake.push_update(fake.message(42, "/start"))
        call = await fake.wait_for("sendMessage", lambda call: call.chat_id == 42)
        assert "Welcome" in call.text

Requests arrive as ``POST /bot<token>/<method>`` (form, multipart or JSON parameters; GET query
too) and get the Bot API envelope back. What it models, and nothing more:

- methods: getMe, getUpdates (offset confirmation, long poll, allowed_updates), sendMessage,
  sendPhoto (an uploaded PNG or JPEG, a caption of at most 1024 characters), editMessageText,
  editMessageReplyMarkup, deleteMessage, answerCallbackQuery, setMyCommands, getMyCommands,
  deleteMyCommands, setWebhook, deleteWebhook, getWebhookInfo, getChat,
  getChatMember, getChatAdministrators, sendChatAction, leaveChat, close, logOut;
- Telegram's validation: HTML parse mode (a port of tdlib's parser), 4096 characters after
  entity parsing, empty text, callback_data of 1-64 bytes, "message is not modified", unknown
  callback query ids, getUpdates while a webhook is set (409);
- chat state: a member table (``set_member``); a pushed ``my_chat_member`` update that removes
  or blocks the bot makes later sends answer 403; a pushed migration makes sends to the old group
  answer 400 with ``migrate_to_chat_id``;
- scripted faults (``fail`` with a ``Fault``) and, with ``enforce_limits``, flood control;
  ``Fault.error_page`` answers like a proxy in front of the API: an HTML page (not the Bot API's
  JSON) that echoes the request path, token included;
- a wrong token answers 401, an unknown method 404;
- ``port``: listen on a given port (a test can start the API where the bot already looks).

Every answered request (valid token) becomes a ``Call`` in ``fake.calls``; ``wait_for`` awaits
one without sleeping, ``wait_polling`` awaits a parked long poll. Closing the fake releases
pending long polls and slow faults at once. Everything runs on the test's event loop: call
``push_update`` and the builders from it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any, Literal

from aiohttp import web

JSONObject = dict[str, Any]
ChatId = int | str
ChatType = Literal["private", "group", "supergroup", "channel"]
MemberStatus = Literal["creator", "administrator", "member", "restricted", "left", "kicked"]

DEFAULT_TOKEN = "123456:TEST-token"
DEFAULT_BOT_USERNAME = "claimwatch_test_bot"
DEFAULT_USER_ID = 1000  # the sender of group messages when a builder is not told who
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG
MAX_CALLBACK_DATA_BYTES = 64
# getUpdates delivers these when allowed_updates is empty or was never sent.
DEFAULT_UPDATE_TYPES_EXCLUDED = frozenset(
    {"chat_member", "message_reaction", "message_reaction_count"}
)
# Form-encoded parameters that are plain strings; every other value is JSON (numbers, booleans,
# objects), as python-telegram-bot encodes them.
STRING_PARAMETERS = frozenset(
    {
        "text",
        "parse_mode",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "ip_address",
        "description",
        "short_description",
        "name",
        "title",
        "language_code",
        "custom_title",
        "action",
        "business_connection_id",
        "message_effect_id",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


# --- faults and calls -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """How a request is answered instead of normally: an error envelope, or a delay first."""

    status: int = HTTPStatus.OK
    description: str = ""
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None
    delay_seconds: float = 0.0
    echo_page: bool = False  # an HTML error page quoting the request path, not a JSON envelope

    @classmethod
    def too_many_requests(cls, retry_after: int) -> Fault:
        description = f"Too Many Requests: retry after {retry_after}"
        return cls(HTTPStatus.TOO_MANY_REQUESTS, description, retry_after=retry_after)

    @classmethod
    def forbidden(cls, description: str = "bot was blocked by the user") -> Fault:
        return cls(HTTPStatus.FORBIDDEN, _prefixed("Forbidden", description))

    @classmethod
    def bad_request(cls, description: str) -> Fault:
        return cls(HTTPStatus.BAD_REQUEST, _prefixed("Bad Request", description))

    @classmethod
    def server_error(cls, status: int = HTTPStatus.BAD_GATEWAY) -> Fault:
        return cls(status, HTTPStatus(status).phrase)

    @classmethod
    def unauthorized(cls) -> Fault:
        """What Telegram answers for a well-formed token it does not know."""
        return cls(HTTPStatus.UNAUTHORIZED, "Unauthorized")

    @classmethod
    def error_page(cls, status: int = HTTPStatus.BAD_GATEWAY) -> Fault:
        """A proxy's HTML error page naming the request path (``/bot<token>/getMe``)."""
        return cls(status, HTTPStatus(status).phrase, echo_page=True)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, after ``seconds``."""
        return cls(delay_seconds=seconds)

    @classmethod
    def migrated(cls, new_chat_id: int) -> Fault:
        description = "Bad Request: group chat was upgraded to a supergroup chat"
        return cls(HTTPStatus.BAD_REQUEST, description, migrate_to_chat_id=new_chat_id)

    @property
    def answers_normally(self) -> bool:
        return self.status == HTTPStatus.OK

    def envelope(self) -> JSONObject:
        body: JSONObject = {"ok": False, "error_code": self.status, "description": self.description}
        parameters = {
            name: value
            for name, value in (
                ("retry_after", self.retry_after),
                ("migrate_to_chat_id", self.migrate_to_chat_id),
            )
            if value is not None
        }
        if parameters:
            body["parameters"] = parameters
        return body


def _prefixed(prefix: str, description: str) -> str:
    return description if description.startswith(f"{prefix}:") else f"{prefix}: {description}"


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part, as received."""

    filename: str | None
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Call:
    """One answered request: its decoded parameters and what the fake answered."""

    method: str
    params: Mapping[str, Any]
    received_at: datetime
    status: int
    result: Any = None  # the envelope's "result" when ok
    description: str | None = None  # the envelope's "description" otherwise

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK

    @property
    def chat_id(self) -> ChatId | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None

    @property
    def text(self) -> str | None:
        value = self.params.get("text")
        return value if isinstance(value, str) else None

    @property
    def caption(self) -> str | None:
        value = self.params.get("caption")
        return value if isinstance(value, str) else None

    @property
    def photo(self) -> UploadedFile | None:
        """The picture uploaded with sendPhoto."""
        value = self.params.get("photo")
        return value if isinstance(value, UploadedFile) else None

    @property
    def reply_markup(self) -> Mapping[str, Any] | None:
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else None

    @property
    def callback_data(self) -> list[str]:
        """The callback_data of every inline button sent, row by row."""
        return [
            button["callback_data"]
            for button in _inline_buttons(self.reply_markup)
            if isinstance(button.get("callback_data"), str)
        ]

    @property
    def message_id(self) -> int | None:
        """The id of the message sent or edited, from the answer."""
        if isinstance(self.result, dict) and isinstance(self.result.get("message_id"), int):
            return int(self.result["message_id"])
        return None

    def summary(self) -> str:
        shown = {key: value for key, value in self.params.items() if key != "reply_markup"}
        if self.callback_data:
            shown["callback_data"] = self.callback_data
        answer = f"{self.status}" if self.ok else f"{self.status} {self.description!r}"
        line = f"{self.method} -> {answer} {shown}"
        return line if len(line) <= 200 else f"{line[:197]}..."


class _Rejected(Exception):
    """A handler's way to answer with an error envelope."""

    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.description)
        self.fault = fault


def _bad_request(description: str) -> _Rejected:
    return _Rejected(Fault.bad_request(description))


@dataclass
class _ScriptedFault:
    method: str
    fault: Fault
    remaining: int
    chat_id: ChatId | None


class _Signal:
    """Wakes every current waiter at once. Check, then wait: no await in between, so no wake-up
    is missed (one event loop thread)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """True when fired within ``seconds``."""
        if seconds <= 0:
            return False
        event = self._event
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            return False
        return True


# --- Telegram's HTML parse mode ---------------------------------------------------------------


class EntityParseError(ValueError):
    """Text that Telegram's HTML parser rejects; the message follows tdlib's wording."""


HTML_TAGS = frozenset(
    (
        *("a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins"),
        *("tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote"),
    )
)
_HTML_SPACE = " \t\r\n\v\f"
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def parse_html(text: str) -> str:
    """The visible text of ``text`` in Telegram's HTML parse mode (a port of tdlib's
    ``parse_html``), or ``EntityParseError``. An ``&`` that starts no known entity stays as is."""
    visible: list[str] = []
    open_tags: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "&":
            decoded, after = _decode_entity(text, position)
            if decoded is not None:
                visible.append(decoded)
                position = after
                continue
        if char != "<":
            visible.append(char)
            position += 1
        elif text.startswith("</", position):
            position = _close_tag(text, position, open_tags)
        else:
            position = _open_tag(text, position, open_tags)
    if open_tags:
        raise EntityParseError(f"Can't find end tag corresponding to start tag {open_tags[-1]}")
    return "".join(visible)


def _byte_offset(text: str, position: int) -> int:
    return len(text[:position].encode("utf-8", "surrogatepass"))


def _char_at(text: str, position: int) -> str:
    """The character at ``position``, or "" past the end (tdlib reads a terminating NUL)."""
    return text[position] if position < len(text) else ""


def _skip_spaces(text: str, position: int) -> int:
    while _char_at(text, position) and text[position] in _HTML_SPACE:
        position += 1
    return position


def _decode_entity(text: str, start: int) -> tuple[str | None, int]:
    """A character reference at ``start`` and the position after it (the ";" is optional)."""
    end = start + 1
    if _char_at(text, end) == "#":
        end += 1
        hexadecimal = _char_at(text, end) == "x"
        if hexadecimal:
            end += 1
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        digits_start = end
        while _char_at(text, end) and text[end] in digits:
            end += 1
        if end == digits_start or end - start >= 10:
            return None, start
        code_point = int(text[digits_start:end], 16 if hexadecimal else 10)
        if code_point == 0 or code_point >= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
            return None, start
        decoded = chr(code_point)
    else:
        while _char_at(text, end).isascii() and _char_at(text, end).isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(text[start + 1 : end])
        if named is None:
            return None, start
        decoded = named
    if _char_at(text, end) == ";":
        end += 1
    return decoded, end


def _open_tag(text: str, begin: int, open_tags: list[str]) -> int:
    offset = _byte_offset(text, begin)
    position = begin + 1
    while _char_at(text, position) and text[position] not in _HTML_SPACE and text[position] != ">":
        position += 1
    if not _char_at(text, position):
        raise EntityParseError(f"Unclosed start tag at byte offset {offset}")
    tag = text[begin + 1 : position].lower()
    if tag not in HTML_TAGS:
        raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {offset}')
    attributes, position = _tag_attributes(text, position, tag, offset)
    if tag == "span" and attributes.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
    open_tags.append(tag)
    return position + 1  # past ">"


def _tag_attributes(text: str, position: int, tag: str, offset: int) -> tuple[dict[str, str], int]:
    """The attributes of a start tag and the position of its closing ">"."""
    unclosed = EntityParseError(f"Unclosed start tag at byte offset {offset}")
    attributes: dict[str, str] = {}
    while True:
        position = _skip_spaces(text, position)
        if not _char_at(text, position):
            raise unclosed
        if text[position] == ">":
            return attributes, position
        name_start = position
        while _char_at(text, position) and text[position] not in _HTML_SPACE + "=":
            position += 1
        name = text[name_start:position].lower()
        position = _skip_spaces(text, position)
        if _char_at(text, position) != "=":
            raise EntityParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {offset}"
            )
        position = _skip_spaces(text, position + 1)
        if not _char_at(text, position):
            raise unclosed
        value, position = _attribute_value(text, position)
        if not _char_at(text, position):
            raise unclosed
        attributes[name] = value


def _attribute_value(text: str, position: int) -> tuple[str, int]:
    quote = text[position]
    if quote not in "'\"":
        # A name token: letters, digits, periods and hyphens, case-insensitive.
        start = position
        while _char_at(text, position).isalnum() or _char_at(text, position) in (".", "-"):
            position += 1
        following = _char_at(text, position)
        if following and following not in _HTML_SPACE + ">":
            offset = _byte_offset(text, start)
            raise EntityParseError(f"Unexpected end of name token at byte offset {offset}")
        return text[start:position].lower(), position
    position += 1
    value: list[str] = []
    while _char_at(text, position) and text[position] != quote:
        decoded, after = _decode_entity(text, position) if text[position] == "&" else (None, 0)
        if decoded is not None:
            value.append(decoded)
            position = after
        else:
            value.append(text[position])
            position += 1
    if _char_at(text, position) == quote:
        position += 1
    return "".join(value), position


def _close_tag(text: str, begin: int, open_tags: list[str]) -> int:
    offset = _byte_offset(text, begin)
    if not open_tags:
        raise EntityParseError(f"Unexpected end tag at byte offset {offset}")
    position = begin + 2
    while _char_at(text, position) and text[position] not in _HTML_SPACE and text[position] != ">":
        position += 1
    name = text[begin + 2 : position].lower()
    position = _skip_spaces(text, position)
    if _char_at(text, position) != ">":
        raise EntityParseError(f"Unclosed end tag at byte offset {offset}")
    expected = open_tags.pop()
    if name and name != expected:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {offset}, expected "</{expected}>", '
            f'found "</{name}>"'
        )
    return position + 1


# --- flood control ----------------------------------------------------------------------------


class _FloodControl:
    """Telegram's send limits as sliding one-second windows over successful sends."""

    WINDOW_SECONDS = 1.0

    def __init__(self, overall_per_second: int, per_chat_per_second: int) -> None:
        self._overall_limit = overall_per_second
        self._per_chat_limit = per_chat_per_second
        self._overall: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}

    def retry_after(self, chat_id: int, now: float) -> int | None:
        """Seconds to wait before this send would be allowed, or None when it is."""
        waits = [
            self._wait(self._overall, self._overall_limit, now),
            self._wait(self._per_chat.setdefault(chat_id, deque()), self._per_chat_limit, now),
        ]
        longest = max(waits)
        return max(1, math.ceil(longest)) if longest > 0 else None

    def record(self, chat_id: int, now: float) -> None:
        self._overall.append(now)
        self._per_chat.setdefault(chat_id, deque()).append(now)

    def _wait(self, sends: deque[float], limit: int, now: float) -> float:
        while sends and sends[0] <= now - self.WINDOW_SECONDS:
            sends.popleft()
        if len(sends) < limit:
            return 0.0
        return sends[-limit] + self.WINDOW_SECONDS - now


# --- Bot API JSON shapes ----------------------------------------------------------------------


def _now_timestamp() -> int:
    return int(time.time())


def user_json(user_id: int, language_code: str = "en") -> JSONObject:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": f"User {user_id}",
        "username": f"user{user_id}",
        "language_code": language_code,
    }


RESTRICTED_PERMISSIONS = (
    *("can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics"),
    *("can_send_messages", "can_send_polls", "can_send_other_messages", "can_edit_tag"),
    *("can_add_web_page_previews", "can_send_audios", "can_send_documents", "can_send_photos"),
    *("can_send_videos", "can_send_video_notes", "can_send_voice_notes"),
)


def member_json(user: JSONObject, status: str) -> JSONObject:
    """A ChatMember of ``status`` with the fields the Bot API always sends for it."""
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = {
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
            "can_post_messages": True,
            "can_edit_messages": True,
            "can_pin_messages": True,
        }
        return {"status": status, "user": user, **rights}
    if status == "restricted":
        flags = dict.fromkeys(RESTRICTED_PERMISSIONS, False)
        return {"status": status, "user": user, "is_member": True, "until_date": 0, **flags}
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unknown chat member status {status!r}")


def _inline_buttons(markup: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    rows = markup.get("inline_keyboard") if markup else None
    for row in rows if isinstance(rows, list) else []:
        for button in row if isinstance(row, list) else []:
            if isinstance(button, dict):
                yield button


def _command_entities(text: str) -> list[JSONObject]:
    """The bot_command entity of a leading /command (with @botname when present)."""
    match = re.match(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?", text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": match.end()}]


def _same_chat(left: object, right: object) -> bool:
    return str(left) == str(right)


# --- request parameters -----------------------------------------------------------------------


async def _read_params(request: web.Request) -> JSONObject:
    """Parameters from the query string and a form, multipart or JSON body, decoded."""
    params: JSONObject = {key: _decode(key, value) for key, value in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise _bad_request("can't parse JSON request body") from error
        if not isinstance(body, dict):
            raise _bad_request("the request body must be a JSON object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            elif isinstance(value, str):
                params[key] = _decode(key, value)
            else:
                params[key] = _decode(key, bytes(value).decode("utf-8", "replace"))
    return params


def _decode(name: str, raw: str) -> Any:
    """A form value: strings stay strings; everything else python-telegram-bot JSON-encodes."""
    if name in STRING_PARAMETERS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw  # e.g. chat_id "@channelname"


def _int_param(params: Mapping[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad_request(f"invalid {name} specified") from None


def _number_param(params: Mapping[str, Any], name: str) -> float:
    value = params.get(name)
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        raise _bad_request(f"invalid {name} specified") from None


def _require(params: Mapping[str, Any], name: str) -> Any:
    value = params.get(name)
    if value is None or value == "":
        raise _bad_request(f"{name} is empty")
    return value


# --- the server -------------------------------------------------------------------------------


@dataclass
class _StoredMessage:
    message: JSONObject
    source_text: str  # as sent, before entity parsing: "not modified" compares it


Handler = Callable[[JSONObject], Awaitable[Any]]


class FakeBotAPI:
    """The fake server; see the module docstring. Start it with ``async with`` (or ``start``)."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = DEFAULT_BOT_USERNAME,
        enforce_limits: bool = False,
        overall_per_second: int = 30,
        per_chat_per_second: int = 1,
        port: int = 0,
    ) -> None:
        self.token = token
        self.port = port  # 0: any free port
        self.bot_username = bot_username
        self.bot_id = int(token.split(":", 1)[0])
        self.calls: list[Call] = []
        self.commands: list[JSONObject] = []  # the last setMyCommands for every language
        self.commands_by_language: dict[str, list[JSONObject]] = {}  # those for one language
        self.webhook_url = ""
        self._flood = (
            _FloodControl(overall_per_second, per_chat_per_second) if enforce_limits else None
        )
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self._closing = asyncio.Event()
        self._faults: list[_ScriptedFault] = []
        # Updates
        self._queue: list[JSONObject] = []
        self._next_update_id = 1
        self._delivered_up_to = 0
        self._allowed_update_types: frozenset[str] | None = None  # None: the default set
        self._parked_polls = 0
        self._update_pushed = _Signal()
        # Chats, members, messages
        self._chats: dict[int, JSONObject] = {}
        self._usernames: dict[str, int] = {}
        self._members: dict[tuple[int, int], str] = {}
        self._migrated: dict[int, int] = {}
        self._messages: dict[tuple[int, int], _StoredMessage] = {}
        self._next_message_id = 1
        self._open_callback_queries: set[str] = set()
        self._next_callback_query_id = 1
        # Awaiting calls
        self._activity = _Signal()
        self._in_flight = 0  # requests other than getUpdates being answered
        self._calls_by_method: dict[str, list[Call]] = {}
        self._claimed: dict[str, set[int]] = {}
        self._cursor: dict[str, int] = {}
        self._handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "sendChatAction": self._send_chat_action,
            "leaveChat": self._leave_chat,
            "close": self._acknowledge,
            "logOut": self._acknowledge,
        }
        self._canonical = {name.lower(): name for name in self._handlers}

    # --- lifecycle

    async def __aenter__(self) -> FakeBotAPI:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        await site.start()
        host, port = runner.addresses[0][:2]
        self._runner = runner
        self._url = f"http://{host}:{port}"

    async def close(self) -> None:
        """Stop serving; pending long polls answer (empty) and slow faults end at once."""
        self._closing.set()
        self._update_pushed.fire()
        self._activity.fire()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """Where the API is, e.g. http://127.0.0.1:PORT (the project's telegram_api_url)."""
        if self._url is None:
            raise RuntimeError("FakeBotAPI is not started")
        return self._url

    @property
    def base_url(self) -> str:
        """What python-telegram-bot's ``base_url`` takes: ``{url}/bot``."""
        return f"{self.url}/bot"

    @property
    def bot_user(self) -> JSONObject:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Claimwatch Test",
            "username": self.bot_username,
        }

    # --- scripting

    def fail(
        self, method: str, fault: Fault, times: int = 1, chat_id: ChatId | None = None
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id`` only, when given) with
        ``fault``. Faults queue up: the oldest matching one is used first."""
        canonical = self._canonical.get(method.lower())
        if canonical is None:
            raise ValueError(f"the fake does not serve {method!r}")
        if times < 1:
            raise ValueError("times must be at least 1")
        self._faults.append(_ScriptedFault(canonical, fault, times, chat_id))

    def set_member(self, chat_id: ChatId, user_id: int, status: MemberStatus | str) -> None:
        """What getChatMember answers for this user in this chat (default: "member")."""
        member_json({}, status)  # rejects unknown statuses now rather than at request time
        self._members[(self._chat(chat_id)["id"], user_id)] = status

    def register_chat(
        self,
        chat_id: int,
        chat_type: ChatType,
        title: str | None = None,
        *,
        username: str | None = None,
        is_forum: bool = False,
    ) -> JSONObject:
        """Declare a chat (builders do it too); returns its Chat JSON. A title, username or forum
        flag not given is kept from an earlier declaration."""
        known = self._chats.get(chat_id, {})
        title = title or known.get("title")
        username = username or known.get("username")
        is_forum = is_forum or bool(known.get("is_forum"))
        chat: JSONObject = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat |= {"first_name": f"User {chat_id}", "username": username or f"user{chat_id}"}
        else:
            chat["title"] = title or f"{chat_type.capitalize()} {abs(chat_id)}"
            if username:
                chat["username"] = username
        if is_forum:
            chat["is_forum"] = True
        self._remember_chat(chat)
        return copy.deepcopy(chat)

    def push_update(self, update: Mapping[str, Any]) -> JSONObject:
        """Queue an update for getUpdates; assigns the next update_id unless it has one.
        Returns the queued update. A my_chat_member update sets the bot's membership and a
        message with migrate_to_chat_id records the migration, as on Telegram."""
        queued = copy.deepcopy(dict(update))
        if "update_id" not in queued:
            queued["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(queued["update_id"])) + 1
        self._apply(queued)
        self._queue.append(queued)
        self._update_pushed.fire()
        self._activity.fire()
        return queued

    # --- update builders: real Bot API JSON, ready for push_update

    def message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: ChatType = "private",
        chat_title: str | None = None,
        message_thread_id: int | None = None,
        is_topic_message: bool = False,
        language_code: str = "en",
    ) -> JSONObject:
        """A ``message`` update (a ``channel_post`` one for chat_type "channel"). The sender is
        ``user_id``, by default the private chat's user or DEFAULT_USER_ID in groups, whose app
        is in ``language_code``."""
        if chat_type == "channel":
            return self.channel_post(chat_id, text, chat_title=chat_title)
        forum = is_topic_message or (chat_type == "supergroup" and message_thread_id is not None)
        chat = self.register_chat(chat_id, chat_type, chat_title, is_forum=forum)
        sender = user_id if user_id is not None else self._default_sender(chat_id, chat_type)
        message = self._incoming(chat, text) | {"from": user_json(sender, language_code)}
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
        if is_topic_message:
            message["is_topic_message"] = True
        return {"message": message}

    def channel_post(
        self, chat_id: int, text: str, *, chat_title: str | None = None, username: str | None = None
    ) -> JSONObject:
        chat = self.register_chat(chat_id, "channel", chat_title, username=username)
        return {"channel_post": self._incoming(chat, text) | {"sender_chat": chat}}

    def callback_query(self, chat_id: int, user_id: int, data: str, message_id: int) -> JSONObject:
        """A button press on message ``message_id`` (one the bot sent, when the fake knows it)."""
        chat = self._chat(chat_id)
        stored = self._messages.get((chat["id"], message_id))
        message = (
            copy.deepcopy(stored.message)
            if stored is not None
            else {
                "message_id": message_id,
                "from": self.bot_user,
                "chat": chat,
                "date": _now_timestamp(),
                "text": "...",
            }
        )
        query_id = str(self._next_callback_query_id)
        self._next_callback_query_id += 1
        self._open_callback_queries.add(query_id)
        query = {
            "id": query_id,
            "from": user_json(user_id),
            "message": message,
            "chat_instance": str(chat["id"]),
            "data": data,
        }
        return {"callback_query": query}

    def my_chat_member(
        self,
        chat_id: int,
        chat_type: ChatType,
        old_status: MemberStatus | str,
        new_status: MemberStatus | str,
        user_id: int | None = None,
    ) -> JSONObject:
        """The bot's own membership changing: added ("left" -> "member"/"administrator"),
        removed (-> "left"/"kicked"), or blocked in a private chat ("member" -> "kicked")."""
        chat = self.register_chat(chat_id, chat_type)
        actor = user_id if user_id is not None else self._default_sender(chat_id, chat_type)
        change = {
            "chat": chat,
            "from": user_json(actor),
            "date": _now_timestamp(),
            "old_chat_member": member_json(self.bot_user, old_status),
            "new_chat_member": member_json(self.bot_user, new_status),
        }
        return {"my_chat_member": change}

    def migrate(
        self, old_chat_id: int, new_chat_id: int, *, user_id: int = DEFAULT_USER_ID
    ) -> JSONObject:
        """The service message in a group upgraded to a supergroup (migrate_to_chat_id)."""
        chat = self.register_chat(old_chat_id, "group")
        message = {
            "message_id": self._take_message_id(),
            "from": user_json(user_id),
            "chat": chat,
            "date": _now_timestamp(),
            "migrate_to_chat_id": new_chat_id,
        }
        return {"message": message}

    # --- observing

    def sent_to(self, chat_id: ChatId) -> list[str]:
        """The texts (as sent, before entity parsing) of successful sendMessage calls to a chat."""
        return [
            call.text
            for call in self._calls_by_method.get("sendMessage", [])
            if call.ok and call.text is not None and _same_chat(call.chat_id, chat_id)
        ]

    def photos_to(self, chat_id: ChatId) -> list[Call]:
        """The successful sendPhoto calls to a chat, in order."""
        return [
            call
            for call in self._calls_by_method.get("sendPhoto", [])
            if call.ok and _same_chat(call.chat_id, chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a deadline for the assertion, not a cancellation
    ) -> Call:
        """The first call of ``method`` matching ``predicate`` that no earlier wait_for returned,
        waiting for it if needed. Failed answers count too (check ``call.ok``)."""
        method = self._canonical.get(method.lower(), method)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            call = self._claim(method, predicate)
            if call is not None:
                return call
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closing.is_set():
                raise AssertionError(self._describe_miss(method, timeout))
            await self._activity.wait(remaining)

    async def wait_polling(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until a getUpdates long poll is parked here, waiting for updates."""
        await self._wait_until(lambda: self._parked_polls > 0, timeout, "a parked getUpdates")

    async def wait_idle(self, quiet: float = 0.1, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until every pushed update was delivered, no other request is being answered, and
        nothing happened for ``quiet`` seconds. A heuristic for "nothing more will come";
        prefer ``wait_for`` when you know what should come."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if self._idle() and not await self._activity.wait(quiet):
                return
            if not self._idle():
                await self._activity.wait(deadline - loop.time())
        raise AssertionError(f"the fake Bot API was not idle within {timeout} s")

    # --- serving

    async def _serve(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if token != self.token:
            # Telegram: 404 for a malformed token, 401 for a well-formed one it does not know.
            if ":" in token:
                return _respond(Fault(HTTPStatus.UNAUTHORIZED, "Unauthorized").envelope())
            return _respond(Fault(HTTPStatus.NOT_FOUND, "Not Found").envelope())
        received_at = datetime.now(UTC)
        name = request.match_info["method"]
        method = self._canonical.get(name.lower(), name)
        counted = method != "getUpdates"
        self._in_flight += counted
        self._activity.fire()
        page: web.Response | None = None
        try:
            params: JSONObject = {}
            try:
                params = await _read_params(request)
                result = await self._answer(method, params)
            except _Rejected as rejected:
                call = Call(
                    method,
                    params,
                    received_at,
                    rejected.fault.status,
                    description=rejected.fault.description,
                )
                body = rejected.fault.envelope()
                if rejected.fault.echo_page:
                    page = _error_page(rejected.fault, request.raw_path)
            else:
                call = Call(method, params, received_at, HTTPStatus.OK, result=result)
                body = {"ok": True, "result": result}
        finally:
            self._in_flight -= counted
        self._record(call)
        return page or _respond(body)

    async def _answer(self, method: str, params: JSONObject) -> Any:
        handler = self._handlers.get(method)
        if handler is None:
            raise _Rejected(Fault(HTTPStatus.NOT_FOUND, "Not Found: method not found"))
        fault = self._take_fault(method, params)
        if fault is not None:
            await self._pause(fault.delay_seconds)
            if not fault.answers_normally:
                raise _Rejected(fault)
        return await handler(params)

    def _take_fault(self, method: str, params: Mapping[str, Any]) -> Fault | None:
        for scripted in self._faults:
            if scripted.method != method:
                continue
            if scripted.chat_id is not None and not _same_chat(
                scripted.chat_id, params.get("chat_id")
            ):
                continue
            scripted.remaining -= 1
            if scripted.remaining == 0:
                self._faults.remove(scripted)
            return scripted.fault
        return None

    async def _pause(self, seconds: float) -> None:
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await self._closing.wait()

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._calls_by_method.setdefault(call.method, []).append(call)
        self._activity.fire()

    # --- methods: bot and webhook

    async def _get_me(self, params: JSONObject) -> JSONObject:
        return self.bot_user | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _acknowledge(self, params: JSONObject) -> bool:
        return True

    async def _set_my_commands(self, params: JSONObject) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        language = _menu_language(params)
        if language:
            self.commands_by_language[language] = commands
        else:
            self.commands = commands
        return True

    async def _get_my_commands(self, params: JSONObject) -> list[JSONObject]:
        language = _menu_language(params)
        return self.commands_by_language.get(language, self.commands) if language else self.commands

    async def _delete_my_commands(self, params: JSONObject) -> bool:
        language = _menu_language(params)
        if language:
            self.commands_by_language.pop(language, None)
        else:
            self.commands = []
        return True

    async def _set_webhook(self, params: JSONObject) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _delete_webhook(self, params: JSONObject) -> bool:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._queue.clear()
        return True

    async def _get_webhook_info(self, params: JSONObject) -> JSONObject:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
        }

    # --- methods: updates

    async def _get_updates(self, params: JSONObject) -> list[JSONObject]:
        if self.webhook_url:
            raise _Rejected(
                Fault(
                    HTTPStatus.CONFLICT,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            )
        self._confirm(_int_param(params, "offset", 0))
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_update_types = frozenset(params["allowed_updates"]) or None
        limit = min(max(_int_param(params, "limit", 100), 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(_number_param(params, "timeout"), 0.0)
        self._drop_unwanted()
        while not self._queue and not self._closing.is_set() and loop.time() < deadline:
            self._parked_polls += 1
            self._activity.fire()
            try:
                await self._update_pushed.wait(deadline - loop.time())
            finally:
                self._parked_polls -= 1
            self._drop_unwanted()
        batch = self._queue[:limit]
        if batch:
            self._delivered_up_to = max(self._delivered_up_to, batch[-1]["update_id"])
        return copy.deepcopy(batch)

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._queue = [update for update in self._queue if update["update_id"] >= offset]
        elif offset < 0:
            self._queue = self._queue[offset:]

    def _drop_unwanted(self) -> None:
        """Telegram forgets updates of types the bot did not ask for."""
        self._queue = [update for update in self._queue if self._wanted(update)]

    def _wanted(self, update: Mapping[str, Any]) -> bool:
        kinds = set(update) - {"update_id"}
        if self._allowed_update_types is None:
            return not kinds <= DEFAULT_UPDATE_TYPES_EXCLUDED or not kinds
        return bool(kinds & self._allowed_update_types)

    # --- methods: messages

    async def _send_message(self, params: JSONObject) -> JSONObject:
        chat = self._writable_chat(params)
        text = self._visible_text(params)
        markup = self._checked_markup(params.get("reply_markup"))
        self._check_flood(chat["id"])
        message: JSONObject = {
            "message_id": self._take_message_id(),
            "from": self.bot_user,
            "chat": chat,
            "date": _now_timestamp(),
            "text": text,
        }
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = _int_param(params, "message_thread_id", 0)
            message["is_topic_message"] = True
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = _StoredMessage(
            copy.deepcopy(message), params["text"]
        )
        return message

    async def _send_photo(self, params: JSONObject) -> JSONObject:
        chat = self._writable_chat(params)
        photo = params.get("photo")
        if not isinstance(photo, UploadedFile):
            raise _bad_request("wrong remote file identifier specified: can't unserialize it")
        if not photo.content.startswith(IMAGE_SIGNATURES):
            raise _bad_request("IMAGE_PROCESS_FAILED")
        caption = self._visible_caption(params)
        markup = self._checked_markup(params.get("reply_markup"))
        self._check_flood(chat["id"])
        width, height = _png_size(photo.content)
        message: JSONObject = {
            "message_id": self._take_message_id(),
            "from": self.bot_user,
            "chat": chat,
            "date": _now_timestamp(),
            "photo": [
                {
                    "file_id": f"photo-{self._next_message_id}",
                    "file_unique_id": f"unique-{self._next_message_id}",
                    "width": width,
                    "height": height,
                    "file_size": len(photo.content),
                }
            ],
        }
        if caption:
            message["caption"] = caption
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = _int_param(params, "message_thread_id", 0)
            message["is_topic_message"] = True
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat["id"], message["message_id"])] = _StoredMessage(
            copy.deepcopy(message), params.get("caption") or ""
        )
        return message

    def _visible_caption(self, params: Mapping[str, Any]) -> str:
        """A photo's caption as Telegram would show it (it may be empty)."""
        raw = params.get("caption")
        if raw is None or raw == "":
            return ""
        if not isinstance(raw, str):
            raise _bad_request("can't parse caption")
        text = raw
        if str(params.get("parse_mode") or "").upper() == "HTML":
            try:
                text = parse_html(raw)
            except EntityParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
        if len(text.strip()) > MAX_CAPTION_LENGTH:
            raise _bad_request("message caption is too long")
        return text.strip()

    async def _edit_message_text(self, params: JSONObject) -> JSONObject | bool:
        text = self._visible_text(params)
        markup = self._checked_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        stored = self._stored_message(params, "message to edit not found")
        if stored.source_text == params["text"] and stored.message.get("reply_markup") == markup:
            raise _bad_request(NOT_MODIFIED)
        message = stored.message | {"text": text, "edit_date": _now_timestamp()}
        message.pop("reply_markup", None)  # editing without a keyboard removes it, as on Telegram
        if markup is not None:
            message["reply_markup"] = markup
        stored.message, stored.source_text = message, params["text"]
        return copy.deepcopy(message)

    async def _edit_message_reply_markup(self, params: JSONObject) -> JSONObject | bool:
        markup = self._checked_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        stored = self._stored_message(params, "message to edit not found")
        if stored.message.get("reply_markup") == markup:
            raise _bad_request(NOT_MODIFIED)
        message = {k: v for k, v in stored.message.items() if k != "reply_markup"}
        if markup is not None:
            message["reply_markup"] = markup
        stored.message = message | {"edit_date": _now_timestamp()}
        return copy.deepcopy(stored.message)

    async def _delete_message(self, params: JSONObject) -> bool:
        stored = self._stored_message(params, "message to delete not found")
        chat_id = stored.message["chat"]["id"]
        del self._messages[(chat_id, stored.message["message_id"])]
        return True

    async def _answer_callback_query(self, params: JSONObject) -> bool:
        query_id = str(_require(params, "callback_query_id"))
        if query_id not in self._open_callback_queries:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._open_callback_queries.discard(query_id)
        return True

    async def _send_chat_action(self, params: JSONObject) -> bool:
        self._writable_chat(params)
        return True

    def _stored_message(self, params: Mapping[str, Any], missing: str) -> _StoredMessage:
        chat = self._chat(_require(params, "chat_id"))
        message_id = _int_param(params, "message_id", 0)
        stored = self._messages.get((chat["id"], message_id))
        if stored is None:
            raise _bad_request(missing)
        return stored

    def _visible_text(self, params: Mapping[str, Any]) -> str:
        """The text Telegram would show, after checking it as Telegram does."""
        raw = params.get("text")
        if not isinstance(raw, str):
            raise _bad_request("message text is empty")
        text = raw
        parse_mode = str(params.get("parse_mode") or "")
        if parse_mode.upper() == "HTML":
            try:
                text = parse_html(raw)
            except EntityParseError as error:
                raise _bad_request(f"can't parse entities: {error}") from None
        text = text.strip()
        if not text:
            raise _bad_request("message text is empty")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise _bad_request("message is too long")
        return text

    def _checked_markup(self, markup: Any) -> JSONObject | None:
        """An inline keyboard (the only markup a sent message shows), checked."""
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        for button in _inline_buttons(markup):
            data = button.get("callback_data")
            if isinstance(data, str) and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
        return markup if "inline_keyboard" in markup else None

    def _check_flood(self, chat_id: int) -> None:
        if self._flood is None:
            return
        now = asyncio.get_running_loop().time()
        retry_after = self._flood.retry_after(chat_id, now)
        if retry_after is not None:
            raise _Rejected(Fault.too_many_requests(retry_after))
        self._flood.record(chat_id, now)  # nothing after this fails: only successes count

    def _take_message_id(self) -> int:
        message_id = self._next_message_id
        self._next_message_id += 1
        return message_id

    # --- methods: chats and members

    async def _get_chat(self, params: JSONObject) -> JSONObject:
        chat = self._chat(_require(params, "chat_id"))
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        accepted = dict.fromkeys((*gifts, "gifts_from_channels"), False)
        full_info = {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": accepted,
        }
        return chat | full_info

    async def _get_chat_member(self, params: JSONObject) -> JSONObject:
        chat = self._chat(_require(params, "chat_id"))
        user_id = _int_param(params, "user_id", 0)
        status = self._members.get((chat["id"], user_id), "member")
        user = self.bot_user if user_id == self.bot_id else user_json(user_id)
        return member_json(user, status)

    async def _get_chat_administrators(self, params: JSONObject) -> list[JSONObject]:
        chat = self._chat(_require(params, "chat_id"))
        if chat["type"] == "private":
            raise _bad_request("there are no administrators in the private chat")
        return [
            member_json(self.bot_user if user_id == self.bot_id else user_json(user_id), status)
            for (chat_id, user_id), status in self._members.items()
            if chat_id == chat["id"] and status in ("creator", "administrator")
        ]

    async def _leave_chat(self, params: JSONObject) -> bool:
        chat = self._chat(_require(params, "chat_id"))
        self._members[(chat["id"], self.bot_id)] = "left"
        return True

    def _writable_chat(self, params: Mapping[str, Any]) -> JSONObject:
        """The chat a message goes to, refused as Telegram refuses it."""
        chat = self._chat(_require(params, "chat_id"))
        if chat["id"] in self._migrated:
            raise _Rejected(Fault.migrated(self._migrated[chat["id"]]))
        status = self._members.get((chat["id"], self.bot_id))
        if status == "kicked" and chat["type"] == "private":
            raise _Rejected(Fault.forbidden("bot was blocked by the user"))
        if status == "kicked":
            raise _Rejected(Fault.forbidden(f"bot was kicked from the {chat['type']} chat"))
        if status == "left":
            raise _Rejected(Fault.forbidden(f"bot is not a member of the {chat['type']} chat"))
        return copy.deepcopy(chat)

    def _chat(self, chat_id: ChatId) -> JSONObject:
        """The Chat JSON of a chat id or @username, made up from the id when not declared."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            known = self._usernames.get(chat_id[1:].lower())
            if known is None:
                new_id = -1_001_000_000_000 - len(self._usernames)
                return self.register_chat(new_id, "channel", chat_id[1:], username=chat_id[1:])
            return self._chats[known]
        try:
            numeric = int(chat_id)
        except ValueError:
            raise _bad_request("chat not found") from None
        if numeric not in self._chats:
            self.register_chat(numeric, _guess_chat_type(numeric))
        return self._chats[numeric]

    def _remember_chat(self, chat: JSONObject) -> None:
        self._chats[chat["id"]] = copy.deepcopy(chat)
        if chat.get("username"):
            self._usernames[str(chat["username"]).lower()] = chat["id"]

    def _apply(self, update: Mapping[str, Any]) -> None:
        """What an update means for the chat state."""
        for kind in ("message", "channel_post", "my_chat_member"):
            chat = update.get(kind, {}).get("chat")
            if isinstance(chat, dict) and "id" in chat:
                self._remember_chat(chat)
        change = update.get("my_chat_member")
        if change:
            chat_id = change["chat"]["id"]
            self._members[(chat_id, self.bot_id)] = change["new_chat_member"]["status"]
        message = update.get("message", {})
        if message.get("migrate_to_chat_id"):
            old_id, new_id = message["chat"]["id"], message["migrate_to_chat_id"]
            self._migrated[old_id] = new_id
            self.register_chat(new_id, "supergroup", message["chat"].get("title"))

    def _default_sender(self, chat_id: int, chat_type: str) -> int:
        return chat_id if chat_type == "private" else DEFAULT_USER_ID

    def _incoming(self, chat: JSONObject, text: str) -> JSONObject:
        message: JSONObject = {
            "message_id": self._take_message_id(),
            "chat": chat,
            "date": _now_timestamp(),
            "text": text,
        }
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        return message

    # --- awaiting

    def _claim(self, method: str, predicate: Callable[[Call], bool] | None) -> Call | None:
        calls = self._calls_by_method.get(method, [])
        claimed = self._claimed.setdefault(method, set())
        cursor = self._cursor.get(method, 0)
        while cursor in claimed:  # everything before the cursor is claimed already
            cursor += 1
        self._cursor[method] = cursor
        for index in range(cursor, len(calls)):
            if index not in claimed and (predicate is None or predicate(calls[index])):
                claimed.add(index)
                return calls[index]
        return None

    def _describe_miss(self, method: str, timeout: float) -> str:
        polls = sum(1 for call in self.calls if call.method == "getUpdates")
        recent = [call for call in self.calls if call.method != "getUpdates"][-20:]
        claimed = len(self._claimed.get(method, ()))
        lines = [
            f"no {method} call matched within {timeout} s ({claimed} {method} calls were "
            f"returned by earlier wait_for); {polls} getUpdates calls; recent calls:",
            *(f"  {call.summary()}" for call in recent),
        ]
        if not recent:
            lines.append("  (none)")
        return "\n".join(lines)

    async def _wait_until(self, condition: Callable[[], bool], within: float, what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                raise AssertionError(f"no {what} within {within} s")
            await self._activity.wait(remaining)

    def _idle(self) -> bool:
        undelivered = any(update["update_id"] > self._delivered_up_to for update in self._queue)
        return not undelivered and self._in_flight == 0


def _png_size(content: bytes) -> tuple[int, int]:
    """A PNG's width and height from its header (0, 0 for a JPEG: not modelled)."""
    if content.startswith(IMAGE_SIGNATURES[0]) and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    return 0, 0


def _guess_chat_type(chat_id: int) -> ChatType:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def _respond(body: JSONObject) -> web.Response:
    status = HTTPStatus.OK if body.get("ok") else int(body["error_code"])
    return web.json_response(body, status=status, dumps=_dumps)


def _error_page(fault: Fault, path: str) -> web.Response:
    title = f"{int(fault.status)} {fault.description}"
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
    page += f"<p>The upstream server did not answer {path}.</p></body></html>"
    return web.Response(status=fault.status, text=page, content_type="text/html")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _json_default(value: object) -> object:
    if isinstance(value, UploadedFile):
        return {"filename": value.filename, "size": len(value.content)}
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def _menu_language(params: JSONObject) -> str:
    """A command menu's language_code: empty (every user), or two lowercase ISO 639-1 letters."""
    language = str(params.get("language_code") or "")
    if language and not (len(language) == 2 and language.isascii() and language.isalpha()):
        raise _bad_request("invalid language code specified")
    return language
