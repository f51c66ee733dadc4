"""``python -m <package>.healthcheck``: exit 0 if the bot running here is ready, else 1.

The Dockerfile's ``HEALTHCHECK`` runs it in the container: the image has no curl, and the
standard library starts in a few milliseconds where importing the bot takes seconds. It asks
``/readyz`` on ``127.0.0.1`` at ``WEB_SERVER_PORT`` (from the environment, as compose passes
``.env``; default 8080) and prints the answer.
"""

import os
import sys
import urllib.error
import urllib.request

TIMEOUT = 5.0  # seconds; /readyz gives each backend 2 (health.PROBE_SECONDS)


def main() -> int:
    """Ask the bot whether it is ready; the exit code says it (0: ready)."""
    port = os.environ.get("WEB_SERVER_PORT", "8080")
    url = f"http://127.0.0.1:{port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
            print(answer.read().decode())
    except urllib.error.HTTPError as error:  # 503: not ready, and why
        print(error.read().decode())
        return 1
    except OSError as error:  # nothing listens yet, or it hangs
        print(f"{url}: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
