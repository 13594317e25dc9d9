"""A Papermill engine that writes the executed notebook once, when execution ends.

Written for papermill 2.7.0 (nbclient 0.11.0): :class:`SaveAtEndEngine` copies the body of
``papermill.engines.Engine.execute_notebook`` (its signature included) to put its own
``NotebookExecutionManager`` in; check both against the new ``papermill/engines.py`` whenever the pin
moves.

Papermill's stock engine writes the whole notebook to disk before and after every cell; a report's
notebook is short-lived staging output, so it is written once at the end (after a failing cell too, so
the partly executed notebook can be inspected). Registering it also keeps Papermill's log lines off
the analyst's terminal.
"""
from __future__ import annotations

import logging
from functools import lru_cache

ENGINE = "sangkien"
"""The name the engine is registered under (``engine_name`` of ``papermill.execute_notebook``)."""


@lru_cache(maxsize=1)
def register() -> str:
    """Register the engine with Papermill (once) and return its name."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    # Papermill logs through the 'papermill' logger and configures no handler: Python's last resort
    # would print its errors ("Kernel died while waiting for execute reply.") on the analyst's terminal,
    # next to the build's own line. A NullHandler keeps them there for an application that configures
    # logging (they still propagate), and off the terminal otherwise.
    logging.getLogger("papermill").addHandler(logging.NullHandler())

    class SaveAtEndManager(NotebookExecutionManager):
        final = False

        def save(self, **kwargs):
            if self.final:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs):
            self.final = True
            super().notebook_complete(**kwargs)

    class SaveAtEndEngine(NBClientEngine):
        @classmethod
        def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=False, log_output=False,
                             autosave_cell_every=0, **kwargs):
            manager = SaveAtEndManager(nb, output_path=output_path, progress_bar=progress_bar,
                                       log_output=log_output, autosave_cell_every=0)
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(ENGINE, SaveAtEndEngine)
    return ENGINE
