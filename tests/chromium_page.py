"""Open a page in headless Chromium over the DevTools protocol: console errors, requests, JS
values and a full-page screenshot. A test helper (websockets and httpx are in the venv)."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
]


@dataclass
class PageVisit:
    """What a page did: console errors, exceptions, requests beyond the page, JS answers."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


class DevTools:
    """One DevTools websocket: send commands, collect events."""

    def __init__(self, socket: Any, visit: PageVisit) -> None:
        self.socket, self.visit, self.next_id = socket, visit, 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its answer, recording events that arrive meanwhile."""
        self.next_id += 1
        await self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(await self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result
            self.record(message)

    def record(self, message: dict[str, Any]) -> None:
        """Keep console errors, exceptions and requests for anything but the page itself."""
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.visit.errors.append(
                details.get("exception", {}).get("description") or details.get("text", "")
            )
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            if params["type"] in ("error", "assert"):
                self.visit.errors.append(f"console.{params['type']}: {text}")
            elif params["type"] == "warning":
                self.visit.warnings.append(text)
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.visit.errors.append(f"log: {params['entry']['text']}")
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:", "about:")):
                self.visit.requests.append(url)

    async def evaluate(self, expression: str) -> Any:
        """The value of a JS expression in the page."""
        answer = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer.get("result", {}).get("value")


async def _visit(
    port: int,
    page: Path | str,
    screenshot: Path,
    ready: str,
    expressions: dict[str, str],
    window_height: int,
) -> PageVisit:
    import httpx
    import websockets

    targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
    url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
    visit = PageVisit()
    async with websockets.connect(url, max_size=None) as socket:
        tools = DevTools(socket, visit)
        for domain in ("Runtime", "Log", "Page", "Network"):
            await tools.call(f"{domain}.enable")
        await tools.call(
            "Emulation.setDeviceMetricsOverride", width=1200, height=window_height,
            deviceScaleFactor=1, mobile=False,
        )  # fmt: skip
        url_of_page = page if isinstance(page, str) else page.as_uri()
        await tools.call("Page.navigate", url=url_of_page)
        deadline = time.monotonic() + 60
        while not await tools.evaluate(ready) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        visit.values = {name: await tools.evaluate(js) for name, js in expressions.items()}
        height = max(window_height, await tools.evaluate("document.documentElement.scrollHeight"))
        shot = await tools.call(
            "Page.captureScreenshot", format="png", captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": height, "scale": 1},
        )  # fmt: skip
        screenshot.write_bytes(base64.b64decode(shot["data"]))
        await asyncio.sleep(0.3)  # let late console messages arrive
        await tools.evaluate("1")
    return visit


def visit_page(
    page: Path | str,
    screenshot: Path,
    profile: Path,
    ready: str,
    expressions: dict[str, str],
    window_height: int = 900,
) -> PageVisit:
    """Open `page` (a file or a URL), wait until JS `ready` is truthy, evaluate
    `expressions`, screenshot it."""
    assert CHROMIUM, "chromium is not installed"
    command = [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", "about:blank"]
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not active.exists() or not active.read_text().strip():
            assert time.monotonic() < deadline, "chromium did not open its DevTools port"
            time.sleep(0.1)
        port = int(active.read_text().split()[0])
        return asyncio.run(_visit(port, page, screenshot, ready, expressions, window_height))
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
