"""What every command module shares: the consoles, exit codes and the error guard.

Errors reach the user as one line on standard error (``sitrep: <file>: <cause>``), never as a
traceback; set SITREP_DEBUG=1 to see one.
"""

from __future__ import annotations

import datetime as dt
import functools
import os

import typer
from rich.console import Console

from sitrep.errors import SitrepError

EXIT_INPUT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int) -> None:
    err.print(f"sitrep: {message}", markup=False, highlight=False)
    raise typer.Exit(code)


def guarded(command):
    """Turn sitrep's errors into one line and an exit code; hide tracebacks of the unexpected."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SitrepError as error:
            fail(str(error), EXIT_USAGE)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`sitrep events | head`): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            raise typer.Exit(0) from None
        except Exception as error:  # noqa: BLE001 - the last line of defence for the user
            if os.environ.get("SITREP_DEBUG"):
                raise
            fail(f"internal error: {type(error).__name__}: {error} (set SITREP_DEBUG=1 for details)",
             EXIT_INTERNAL)
    return wrapper


def check_choice(option: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        fail(f"{option} {value!r} is not one of: {', '.join(choices)}", EXIT_USAGE)


def parse_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not a date; use YYYY-MM-DD", EXIT_USAGE)
