"""Headless Chromium driven over its DevTools pipe, with every network request blocked.

Chromium reads DevTools commands on file descriptor 3 and answers on 4
(``--remote-debugging-pipe``); no port is opened. Each page is attached with the
Fetch domain intercepting every request: ``file:`` and ``data:`` loads proceed,
anything else is failed and recorded in ``Browser.blocked``. Network emulation is
set offline and host names resolve to nothing, so no request can leave the machine.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
)


def find_chromium() -> str | None:
    env = os.environ.get("GISAPP_CHROMIUM")
    if env and Path(env).exists():
        return env
    for path in CHROMIUM_CANDIDATES:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str, width: int = 1400, height: int = 1000):
        self.profile = tempfile.mkdtemp(prefix="gisapp-chromium-")
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()
        args = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--allow-file-access-from-files",
            f"--user-data-dir={self.profile}",
            f"--window-size={width},{height}",
            "--remote-debugging-pipe",
            "about:blank",
        ]

        def wire():
            # Lift both ends above 4 first: a pipe end may already sit on 3 or 4.
            high_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 5)
            high_w = fcntl.fcntl(out_w, fcntl.F_DUPFD, 5)
            os.dup2(high_r, 3, inheritable=True)
            os.dup2(high_w, 4, inheritable=True)

        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire,
        )
        os.close(cmd_r)
        os.close(out_w)
        self._next = 0
        self._lock = threading.Lock()
        self._waiting: dict[int, queue.Queue] = {}
        self.events: queue.Queue = queue.Queue()
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console: list[str] = []
        self.session = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.width, self.height = width, height

    # --- protocol ---------------------------------------------------------------

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._out_r, 1 << 20)
            except OSError:
                break
            if not chunk:
                break
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                self._dispatch(json.loads(raw))
        for waiting in list(self._waiting.values()):
            waiting.put({"error": {"message": "browser closed"}})

    def _dispatch(self, message: dict) -> None:
        if "id" in message and message["id"] in self._waiting:
            self._waiting.pop(message["id"]).put(message)
            return
        method = message.get("method", "")
        params = message.get("params", {})
        if method == "Fetch.requestPaused":
            url = params["request"]["url"]
            self.requests.append(url)
            if url.startswith(("file:", "data:", "blob:", "about:")):
                self._send(
                    "Fetch.continueRequest",
                    {"requestId": params["requestId"]},
                    wait=False,
                )
            else:
                self.blocked.append(url)
                self._send(
                    "Fetch.failRequest",
                    {
                        "requestId": params["requestId"],
                        "errorReason": "BlockedByClient",
                    },
                    wait=False,
                )
            return
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:", "blob:", "about:")):
                self.blocked.append(url)
        if method == "Runtime.consoleAPICalled":
            self.console.append(
                " ".join(str(a.get("value", "")) for a in params.get("args", []))
            )
        if method == "Runtime.exceptionThrown":
            self.console.append(
                "EXCEPTION " + json.dumps(params.get("exceptionDetails", {}))[:500]
            )
        self.events.put(message)

    def _send(
        self,
        method: str,
        params: dict | None = None,
        wait=True,
        session=True,
        timeout=60,
    ):
        with self._lock:
            self._next += 1
            ident = self._next
            message = {"id": ident, "method": method, "params": params or {}}
            if session and self.session:
                message["sessionId"] = self.session
            answer: queue.Queue = queue.Queue()
            if wait:
                self._waiting[ident] = answer
            os.write(self._cmd_w, json.dumps(message).encode("utf-8") + b"\0")
        if not wait:
            return None
        try:
            reply = answer.get(timeout=timeout)
        except queue.Empty as exc:
            raise BrowserError(f"no answer to {method} within {timeout} s") from exc
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def wait_event(self, method: str, timeout: float = 60) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                message = self.events.get(timeout=max(end - time.monotonic(), 0.01))
            except queue.Empty:
                break
            if message.get("method") == method:
                return message.get("params", {})
        raise BrowserError(f"{method} did not come within {timeout} s")

    # --- page -------------------------------------------------------------------

    def open_page(self) -> None:
        target = self._send(
            "Target.createTarget", {"url": "about:blank"}, session=False
        )
        attached = self._send(
            "Target.attachToTarget",
            {"targetId": target["targetId"], "flatten": True},
            session=False,
        )
        self.session = attached["sessionId"]
        self._send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        self._send("Network.enable")
        self._send(
            "Network.emulateNetworkConditions",
            {
                "offline": True,
                "latency": 0,
                "downloadThroughput": 0,
                "uploadThroughput": 0,
            },
        )
        self._send("Page.enable")
        self._send("Runtime.enable")
        self._send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.width,
                "height": self.height,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )

    def goto(self, path: Path, timeout: float = 60) -> float:
        """Open a file; seconds until its load event."""
        url = Path(path).resolve().as_uri()
        started = time.perf_counter()
        self._send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired", timeout)
        return time.perf_counter() - started

    def eval(self, expression: str, timeout: float = 60):
        result = self._send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise BrowserError(json.dumps(result["exceptionDetails"])[:800])
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.05)
        raise BrowserError(f"{expression} stayed false for {timeout} s")

    def click(self, x: float, y: float) -> None:
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self._send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
            )

    def hover(self, x: float, y: float) -> None:
        self._send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def screenshot(self, path: Path) -> Path:
        data = self._send("Page.captureScreenshot", {"format": "png"})["data"]
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    # --- lifetime ---------------------------------------------------------------

    def close(self) -> None:
        try:
            self._send("Browser.close", session=False, timeout=5)
        except BrowserError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._cmd_w, self._out_r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        try:
            self.open_page()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()
