"""A build said as it happens, on a terminal only (issue 20): the register read, the kernel started, the
notebook's cells n/N, each output as it is made (PDF, Word...), the unit notices n/N with a bar.

Nothing is said unless the command line turned it on (:func:`turn_on`: ``build YEAR`` with stderr a
terminal), so a scheduler, a test, a pipe or a log sees only the command's own lines. The outputs are
seen as they land in the staging folder (:func:`watching`): the steps that make them need no hook.
"""
from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

_ON = {"stream": None}

KINDS = {".html": "HTML", ".pdf": "PDF", ".docx": "Word", ".xlsx": "phụ lục Excel", ".csv": "phụ lục CSV"}
"""What an output is called, by its suffix."""


def turn_on(stream=None) -> bool:
    """Say the build's steps on ``stream`` (default stderr) when it is a terminal; whether it is on."""
    stream = stream or sys.stderr
    _ON["stream"] = stream if _isatty(stream) else None
    return _ON["stream"] is not None


def turn_off() -> None:
    _ON["stream"] = None


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def on() -> bool:
    return _ON["stream"] is not None


def say(line: str) -> None:
    """One step, when on."""
    if on():
        print(f"  … {line}", file=_ON["stream"], flush=True)


def cells_bar() -> dict | bool:
    """Papermill's ``progress_bar``: the notebook's cells n/N on the terminal, when on; else False."""
    if not on():
        return False
    return {"unit": "ô", "desc": "  … chạy sổ tay", "file": _ON["stream"], "leave": False}


THREAD = "sangkien-progress"
"""The name of the thread that says what lands (it sleeps between looks: a fork beside it is sound)."""


@contextlib.contextmanager
def watching(folder: Path, units: int = 0, every: float = 0.25):
    """While the block runs, each output landing in ``folder`` said once, and the unit notices
    (``folder/don-vi/``, ``units`` of them) counted with a bar; nothing when off."""
    if not on():
        yield
        return
    stop = threading.Event()
    thread = threading.Thread(target=_watch, args=(folder, units, every, stop), daemon=True, name=THREAD)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _watch(folder: Path, units: int, every: float, stop: threading.Event) -> None:
    seen: set[str] = set()
    bar = None
    if units:
        from tqdm import tqdm

        bar = tqdm(total=units, unit="thông báo", desc="  … thông báo đơn vị", file=_ON["stream"], leave=True)
    while True:
        ending = stop.wait(every)
        for path in sorted(folder.glob("*")):
            if path.suffix in KINDS and path.name not in seen and path.is_file() and path.stat().st_size:
                seen.add(path.name)
                line = f"  … {KINDS[path.suffix]}: {path.name}"
                bar.write(line, file=_ON["stream"]) if bar is not None else say(line[4:])
        if bar is not None:
            done = len({p.stem for p in (folder / "don-vi").glob("*.*") if p.stem != "index"}) if (
                folder / "don-vi").is_dir() else 0
            bar.update(min(done, units) - bar.n)
        if ending:
            break
    if bar is not None:
        bar.close()
