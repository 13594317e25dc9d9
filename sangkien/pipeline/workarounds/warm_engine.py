"""Papermill's execution on a kernel that is already running (a warm kernel, :mod:`sangkien.pipeline.warm`).

Written for papermill 2.7.0 and nbclient 0.11.0 (Python 3.11): :func:`register` subclasses the engine of
:mod:`.papermill_engine` and copies the body of ``papermill.engines.NBClientEngine.execute_managed_notebook``
(the keyword arguments it renames) to hand its ``PapermillNotebookClient`` a kernel manager *and* a
kernel client already connected: nbclient takes a kernel manager (``km``) but makes a new client for
every run (``NotebookClient.kc``, set here, is not a constructor argument), and, as it does not own the
manager, never stops that client — a run on a warm kernel would leave five sockets behind each time.
:data:`FORGET_WARNINGS` calls the private ``warnings._filters_mutated`` (CPython 3.11). Check these
against the new ``papermill/engines.py``, ``nbclient/client.py`` and ``warnings.py`` whenever a pin moves.
"""
from __future__ import annotations

import logging
from functools import lru_cache

from sangkien.pipeline.workarounds import papermill_engine

ENGINE = "sangkien-warm"
"""The name the engine is registered under (``engine_name`` of ``papermill.execute_notebook``)."""


@lru_cache(maxsize=1)
def register() -> str:
    """Register the engine with Papermill (once) and return its name. ``papermill.execute_notebook``
    then takes ``warm_client=``: a ``nbclient.NotebookClient`` whose kernel (``km``, ``kc``) is running."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    base = papermill_engines.get_engine(papermill_engine.register())
    logger = logging.getLogger("papermill")

    class WarmEngine(base):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                     stderr_file=None, start_timeout=60, execution_timeout=None,
                                     warm_client=None, **kwargs):
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=warm_client.km, **final_kwargs)
            client.kc = warm_client.kc
            return client.execute()

    papermill_engines.register(ENGINE, WarmEngine)
    return ENGINE


FORGET_WARNINGS = "import warnings as _w; _w._filters_mutated(); del _w"
"""Kernel code: every warning shown once so far may show again (each module's registry of the warnings
it showed is dropped), so a unit's sheet shows the warnings it would show in a kernel of its own."""
