"""aiogram's own FSM storage contract tests, run against the template's SQLStorage.

aiogram ships those tests (class ``TestStorages`` in ``tests/test_fsm/storage/test_storages.py``)
only in its sdist, so the sdist of the installed aiogram version is downloaded with pip once
and that one file is kept in ``.cache/aiogram-contract/`` (which git ignores).

``TestStorages`` is parametrized over aiogram's fixtures (``memory_storage``, ``redis_storage``
...), so its ``test_*`` methods are copied onto a class of ours instead of inheriting that mark,
and the ``storage`` fixture here gives a SQLStorage on SQLite (a tmp file) and on PostgreSQL
(``DATABASE_URL_POSTGRES``). An unreachable PostgreSQL fails the tests with a message on how to
start it; it is never skipped.

SQLStorage comes from the default bot, rendered once for the module (``fsm/sql.py`` imports the
bot's own modules). The async tests need pytest-asyncio with ``asyncio_mode = "auto"``, set in
this repository's pyproject.toml.
"""

import asyncio
import importlib.metadata
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import AsyncIterator, Iterator
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from conftest import render

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "aiogram-contract"
POSTGRES_URL = os.environ.get(
    "DATABASE_URL_POSTGRES", "postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/test"
)
START_POSTGRES = (
    "Start PostgreSQL with a database 'test', e.g. `docker run -d -p 5432:5432 -e "
    "POSTGRES_PASSWORD=postgres -e POSTGRES_DB=test postgres:16` or `apt-get install "
    "postgresql` and `createdb test`, or set DATABASE_URL_POSTGRES to a postgresql+asyncpg URL."
)


def load_module(name: str, path: Path) -> ModuleType:
    """Import a Python file that is not on sys.path, whatever its name ends with."""
    spec = importlib.util.spec_from_loader(name, SourceFileLoader(name, str(path)))
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pip_command() -> list[str]:
    """Return a pip to download with: this Python's, one on PATH, or uv's."""
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    if pip := shutil.which("pip3") or shutil.which("pip"):
        return [pip]
    if uv := shutil.which("uv"):
        return [uv, "tool", "run", "pip"]
    raise RuntimeError("Downloading aiogram's tests needs pip or uv")


def contract_tests_path() -> Path:
    """Return aiogram's test_storages.py for the installed aiogram, downloading it once."""
    version = importlib.metadata.version("aiogram")
    path = CACHE / f"test_storages-{version}.py"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE) as download:
        args = ["download", "--no-deps", "--no-binary", ":all:", f"aiogram=={version}"]
        subprocess.run([*pip_command(), *args, "--quiet", "-d", download], check=True)
        (sdist,) = Path(download).glob("aiogram-*.tar.gz")
        with tarfile.open(sdist) as tar:
            member = tar.extractfile(f"aiogram-{version}/tests/test_fsm/storage/test_storages.py")
            assert member is not None
            (Path(download) / path.name).write_bytes(member.read())
        os.replace(Path(download) / path.name, path)  # atomic, for parallel first runs
    return path


contract = load_module("aiogram_contract_test_storages", contract_tests_path())


def copy_tests(name: str, source: type) -> type:
    """Return a new class with the source's test methods, but not its marks."""
    tests = {key: value for key, value in vars(source).items() if key.startswith("test_")}
    assert tests, f"no tests in {source}"
    return type(name, (), {"__doc__": f"{source.__qualname__}'s tests, on SQLStorage.", **tests})


TestSQLStorageContract = copy_tests("TestSQLStorageContract", contract.TestStorages)


@pytest.fixture(scope="module")
def sql_storage_class(tmp_path_factory: pytest.TempPathFactory) -> Iterator[type]:
    """SQLStorage of the default bot, rendered from the working tree."""
    project = render(tmp_path_factory.mktemp("contract") / "bot")
    sys.path.insert(0, str(project / "src"))
    try:
        yield importlib.import_module("my_bot.fsm.sql").SQLStorage
    finally:
        sys.path.remove(str(project / "src"))


@pytest.fixture(params=["sqlite", "postgresql"])
async def storage(
    request: pytest.FixtureRequest, tmp_path: Path, sql_storage_class: type
) -> AsyncIterator[Any]:
    """Give a SQLStorage with a table of its own, dropped after the test."""
    url = f"sqlite:///{tmp_path / 'fsm.sqlite3'}" if request.param == "sqlite" else POSTGRES_URL
    table_name = f"aiogram_fsm_contract_{secrets.token_hex(4)}"
    sql_storage = sql_storage_class.from_url(url, table_name=table_name)
    try:
        await asyncio.wait_for(sql_storage.create_table(), timeout=10)
    except (OSError, asyncio.TimeoutError) as error:
        await sql_storage.close()
        message = f"Cannot reach {url}: {error!r}\n{START_POSTGRES}"
        raise pytest.fail.Exception(message, pytrace=False) from None
    yield sql_storage
    await sql_storage.run(f'DROP TABLE "{table_name}"')
    await sql_storage.close()


@pytest.fixture
def storage_key() -> StorageKey:
    """Give a key with random 63-bit ids."""
    return StorageKey(
        bot_id=secrets.randbits(63), chat_id=secrets.randbits(63), user_id=secrets.randbits(63)
    )
