"""`sitrep export`: events in analysts' formats (sitrep.export), filtered like `sitrep events`."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from sitrep.commands.common import EXIT_USAGE, check_choice, fail, guarded, parse_date
from sitrep.commands.serve import OpsecDelayOption, OpsecRoundOption
from sitrep.commands.crossdoc import (
    SIDES,
    DbOption,
    LimitOption,
    PlaceOption,
    SideOption,
    SinceOption,
    SourceOption,
    TypeOption,
    UntilOption,
)
from sitrep.settings import get_settings
from sitrep.store import EventFilter, Store


@guarded
def export(format: Annotated[str, typer.Option("--format", help="acled-csv, geojson, kml, parquet or jsonl.")],
           out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write here (default: stdout).")] = None,
           db: DbOption = None, place: PlaceOption = None, since: SinceOption = None, until: UntilOption = None,
           type: TypeOption = None, side: SideOption = None, source: SourceOption = None,
           bbox: Annotated[Optional[str], typer.Option(help="west,south,east,north in degrees.")] = None,
           sub_type: Annotated[Optional[str], typer.Option("--sub-type", help="ACLED sub-event type.")] = None,
           actor: Annotated[Optional[str], typer.Option(help="Part of an actor's name.")] = None,
           source_kind: Annotated[Optional[str], typer.Option("--source-kind", help="official, milblogger, "
                                                                                    "...")] = None,
           q: Annotated[Optional[str], typer.Option("--q", help="Words one of its claims holds.")] = None,
           contradicted: Annotated[Optional[bool], typer.Option("--contradicted/--uncontradicted",
                                                                help="Only events with (or without) a "
                                                                     "contradiction.")] = None,
           limit: LimitOption = None, opsec_round: OpsecRoundOption = None,
           opsec_delay: OpsecDelayOption = None) -> None:
    """Write events as ACLED CSV, GeoJSON, KML, Parquet or JSONL; a file appears only when complete."""
    from sitrep import export as exporter
    from sitrep import opsec

    check_choice("--format", format, exporter.FORMATS)
    if side is not None and side not in SIDES:
        fail(f"--side {side!r} is not one of: {', '.join(SIDES)}", EXIT_USAGE)
    wanted = EventFilter(place=place, since=parse_date("--since", since), until=parse_date("--until", until),
                         event_type=type, side=side, source=source, contradicted=contradicted,
                         bbox=_bbox(bbox), sub_type=sub_type, actor=actor, source_kind=source_kind, q=q)
    settings = get_settings().with_overrides(db=db).with_opsec(opsec_round, opsec_delay)
    policy = opsec.OpsecPolicy.from_settings(settings)
    with Store.open(settings.db_url) as store:
        events = opsec.events(store, policy, wanted, limit)
        stored_day = exporter.stored_days(store)
        if out is None:
            exporter.write(format, events, sys.stdout.buffer, stored_day)
            sys.stdout.buffer.flush()
        else:
            _write_file(out, lambda stream: exporter.write(format, events, stream, stored_day))


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    from sitrep.api.params import bbox_from_text

    try:
        return bbox_from_text(value)
    except ValueError as error:
        fail(f"--bbox {value!r}: {error}", EXIT_USAGE)
    return None


def _write_file(path: Path, write) -> None:
    """Write through a temporary file beside ``path`` and rename it, so that a reader never sees
    half a file and a failure leaves any older export in place."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), _file_mode(path))
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode a plain ``open(path, "w")`` would give: an existing file's own, else 0666 less the umask.
    mkstemp makes its file 0600, which the rename would carry over to an export meant to be shared."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    # The umask can only be read by setting it; it is put back at once (the command runs one thread).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def register(app: typer.Typer) -> None:
    app.command()(export)
