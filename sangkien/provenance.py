"""Where a report comes from: file digests, the code's commit, software versions, the build date."""
from __future__ import annotations

import datetime
import os
import platform
import subprocess
from importlib import metadata

from sangkien import paths

PACKAGES = ("sangkien", "papermill", "nbconvert", "nbclient", "weasyprint", "pandas", "matplotlib", "python-calamine")




def git_commit() -> str:
    """The commit of the code that builds the report ('+' when the work tree has changes), or ''."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(paths.ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        if not commit:
            return ""
        dirty = subprocess.run(
            ["git", "-C", str(paths.ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10,
        ).stdout.strip()
        return commit + ("+" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return ""


def software() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {"git_commit": git_commit(), "python": platform.python_version(), "packages": versions}


def build_date(issue_date: datetime.date | None) -> datetime.date | None:
    """The date a report states it was made: SOURCE_DATE_EPOCH when set, else the issue date of the
    parameters; never the clock, so that the same inputs give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
    return issue_date
