"""Save a screenshot of the web map over a store (docs/web-map.png, shown in the README).

    .venv/bin/python scripts/screenshot.py [--db demo.db] [--out docs/web-map.png]

Starts the API and the page on 127.0.0.1 and a free port, opens the map in Debian's headless Chromium
(no request may leave 127.0.0.1), selects the contradicted event with the most independent sources,
turns the control layer on for that event's day and saves the view. Run `make demo` first
for the demo store.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOST = "127.0.0.1"
VIEWPORT = {"width": 1280, "height": 800}
# The front from Kharkiv to Kherson fills the map at this zoom beside the open panel.
DEFAULT_VIEW = {"lat": "48.1", "lon": "36.6", "z": "7"}
MAX_BYTES = 500_000


def serve(db: str) -> tuple[str, threading.Thread, object]:
    import uvicorn

    from sitrep.api import create_app

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    url = db if "://" in db else f"sqlite:///{Path(db).resolve()}"
    server = uvicorn.Server(uvicorn.Config(create_app(db_url=url), host=HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("screenshot: the server did not start")
        time.sleep(0.05)
    return f"http://{HOST}:{port}", thread, server


def choose_view(base: str) -> dict[str, str]:
    """The URL state to show: the most corroborated contradicted event, and control on its last day."""
    events = httpx.get(f"{base}/api/events", params={"view": "compact", "limit": "5000"}, timeout=30).json()["items"]
    mapped = [event for event in events if event["lat"] is not None and event["lon"] is not None]
    if not mapped:
        raise SystemExit("screenshot: the store has no mapped events; run `make demo` first (or pass --db)")
    chosen = max(mapped, key=lambda event: (event["contradicted"], event["sources"]))
    state = {**DEFAULT_VIEW, "event": chosen["id"], "layers": "outlines,places,events,control"}
    if chosen["end"] or chosen["start"]:
        state["control"] = chosen["end"] or chosen["start"]
    return state


def shoot(base: str, state: dict[str, str], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT)
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == HOST
                      else route.abort())
        page = context.new_page()
        page.goto(f"{base}/?{urlencode(state)}")
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=30_000)
        page.wait_for_selector("#panel .claim mark", timeout=30_000)
        page.wait_for_timeout(500)  # settlements and outlines finish drawing
        page.screenshot(path=str(out))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="demo.db", help="SQLite file or database URL (default: demo.db)")
    parser.add_argument("--out", default="docs/web-map.png", type=Path)
    args = parser.parse_args(argv)
    if "://" not in args.db and not Path(args.db).is_file():
        print(f"screenshot: {args.db}: no such store; run `make demo` first", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"screenshot: {CHROMIUM} not found; run make setup", file=sys.stderr)
        return 2
    from sitrep.errors import SitrepError

    try:
        base, thread, server = serve(args.db)
    except SitrepError as error:
        print(f"screenshot: {error}", file=sys.stderr)
        return 2
    try:
        shoot(base, choose_view(base), args.out)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    size = args.out.stat().st_size
    print(f"screenshot: {args.out} ({size // 1000} kB)")
    if size > MAX_BYTES:
        print(f"screenshot: {args.out} is over {MAX_BYTES // 1000} kB; keep docs images small", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
