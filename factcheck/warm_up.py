"""What an app-server worker prepares before it takes its first connection (gunicorn.conf.py's
``post_worker_init``): every template compiled.

A new worker (at start, and each time one is recycled after ``max_requests``) otherwise compiles each
template on the first request that renders it: lexing, parsing and generating Python for its
templates made a worker's first claim page cost 160–180 ms of CPU instead of 40–50, and in the throughput bench
(3 workers, ~700 requests each) template compilation was 6–7 % of the server's CPU under the mix
(docs/performance.md, "Eleventh round: the mix").

The compiled code is also kept on disk (Jinja's bytecode cache, keyed by the template's name and
checked against its source, so a deploy's changed template is compiled again), so a recycled worker
loads the templates in a few milliseconds instead of compiling them for a quarter of a second. The
disk is read only here: after warming, the templates live in the environment's memory cache (larger
than the number of templates) and the bytecode cache is detached, so a full or unwritable disk can
slow a worker's start, never fail a page.

``FACTCHECK_TEMPLATE_CACHE_DIR``: where the compiled templates are kept; by default Jinja's own
folder for this user in the system's temporary folder (created 0700, refused if another user owns it);
``off`` compiles at every worker start without keeping anything on disk.
"""
from __future__ import annotations

import logging
import os
import stat

from flask import Flask
from jinja2 import BytecodeCache, FileSystemBytecodeCache

log = logging.getLogger(__name__)

CACHE_DIR_SETTING = "FACTCHECK_TEMPLATE_CACHE_DIR"


def bytecode_cache(setting: str | None) -> BytecodeCache | None:
    """The on-disk cache of compiled templates for ``setting`` (a folder, empty for Jinja's default,
    ``off`` for none), or None when it cannot be used here (said once in the log)."""
    setting = (setting or "").strip()
    if setting.lower() == "off":
        return None
    try:
        if setting:
            os.makedirs(setting, mode=0o700, exist_ok=True)
            folder = os.lstat(setting)
            # Code is loaded from here: a folder someone else owns or may write to is not used (as
            # Jinja refuses its own default folder then).
            if not stat.S_ISDIR(folder.st_mode) or folder.st_uid != os.getuid() or folder.st_mode & 0o022:
                raise RuntimeError("the folder must be this user's and writable by nobody else")
            return FileSystemBytecodeCache(setting)
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError) as error:
        log.warning("compiled templates are not kept on disk (%s): %s", setting or "Jinja's default folder", error)
        return None


def compile_templates(app: Flask, cache: BytecodeCache | None = None) -> int:
    """Load every template of ``app`` into its environment's memory cache (through ``cache`` when
    given); how many. A template that does not compile is left for its page to report, as before."""
    env = app.jinja_env
    names = env.list_templates()
    if env.cache is None or getattr(env.cache, "capacity", 0) < len(names):
        return 0  # no memory cache to keep them in (or too small): warming would be thrown away
    previous = env.bytecode_cache
    if cache is not None:
        env.bytecode_cache = cache
    loaded = 0
    try:
        for name in names:
            try:
                env.get_template(name)
            except OSError as error:  # the bytecode cache's disk: compile without it
                log.warning("template %s not kept on disk: %s", name, error)
                env.bytecode_cache = previous
                env.get_template(name)
            except Exception:  # a broken template fails its own page, not the worker
                log.exception("template %s does not compile", name)
                continue
            loaded += 1
    finally:
        env.bytecode_cache = previous
    return loaded


def warm_up(app: Flask) -> None:
    """Prepare a serving process's ``app`` before its first request."""
    compile_templates(app, bytecode_cache(os.environ.get(CACHE_DIR_SETTING)))
