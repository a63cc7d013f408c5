"""A worker compiles every template before its first request (factcheck/warm_up.py, gunicorn.conf.py)."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import ChoiceLoader, DictLoader, FileSystemBytecodeCache

from factcheck.warm_up import bytecode_cache, compile_templates


def _refuse_compiling(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("a template was compiled after the warm-up")

    monkeypatch.setattr(app.jinja_env, "compile", refuse)


def test_after_the_warm_up_no_page_compiles_a_template(app: Flask, client, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    before = app.jinja_env.bytecode_cache
    names = app.jinja_env.list_templates()
    assert compile_templates(app, FileSystemBytecodeCache(str(tmp_path))) == len(names) > 20
    assert app.jinja_env.bytecode_cache is before  # the disk is read only while warming
    assert 20 < len(list(tmp_path.glob("__jinja2_*.cache"))) <= len(names)  # those not compiled by create_app
    _refuse_compiling(app, monkeypatch)
    page = client.get("/login")
    assert page.status_code == 200 and b"csrf_token" in page.data
    assert client.get("/no-such-page").status_code == 404  # the error page's template too


def test_a_later_worker_loads_the_compiled_templates_from_disk(app: Flask, client, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    from factcheck import create_app

    first = create_app(app.config)
    compile_templates(first, FileSystemBytecodeCache(str(tmp_path)))
    _refuse_compiling(app, monkeypatch)  # this app has compiled nothing yet: it must read the disk
    assert compile_templates(app, FileSystemBytecodeCache(str(tmp_path))) == len(app.jinja_env.list_templates())
    assert client.get("/login").status_code == 200


def test_a_template_that_does_not_compile_fails_its_page_not_the_warm_up(app: Flask, client,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    app.jinja_env.loader = ChoiceLoader([DictLoader({"broken.html": "{% if %}"}), app.jinja_env.loader])
    names = app.jinja_env.list_templates()
    with caplog.at_level(logging.ERROR, logger="factcheck.warm_up"):
        assert compile_templates(app) == len(names) - 1
    assert "broken.html" in caplog.text
    assert client.get("/login").status_code == 200


def test_where_the_compiled_templates_are_kept(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert bytecode_cache("off") is None and bytecode_cache(" OFF ") is None
    kept = bytecode_cache(str(tmp_path / "templates"))
    assert isinstance(kept, FileSystemBytecodeCache) and (tmp_path / "templates").is_dir()
    assert ((tmp_path / "templates").stat().st_mode & 0o777) == 0o700
    (tmp_path / "a-file").write_text("")
    with caplog.at_level(logging.WARNING, logger="factcheck.warm_up"):
        assert bytecode_cache(str(tmp_path / "a-file" / "below")) is None  # cannot be made: compiled anew
    assert "not kept on disk" in caplog.text
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # anyone could put code there
    assert bytecode_cache(str(shared)) is None


def test_an_unwritable_cache_still_warms(app: Flask, client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         caplog: pytest.LogCaptureFixture) -> None:
    cache = FileSystemBytecodeCache(str(tmp_path))

    def full_disk(_bucket) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "dump_bytecode", full_disk)
    with caplog.at_level(logging.WARNING, logger="factcheck.warm_up"):
        assert compile_templates(app, cache) == len(app.jinja_env.list_templates())
    assert "No space left" in caplog.text
    _refuse_compiling(app, monkeypatch)
    assert client.get("/login").status_code == 200
