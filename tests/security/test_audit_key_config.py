"""The audit key lives outside the database, in the configuration, like the secret key: production
refuses to start without it, development generates one once and keeps it, and it reaches the
services through their settings, never printed."""
from __future__ import annotations

import pytest

from factcheck.config import ConfigError, load_config
from factcheck.services.checkpoints import AllCheckpoints, FileCheckpoints, NoCheckpoints, RedisCheckpoints, from_config
from factcheck.settings import Settings


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    with pytest.raises(ConfigError, match="FACTCHECK_AUDIT_KEY"):
        load_config(tmp_path, {"FACTCHECK_ENV": "production", "FACTCHECK_SECRET_KEY": "s" * 40})
    config = load_config(tmp_path, {"FACTCHECK_ENV": "production", "FACTCHECK_SECRET_KEY": "s" * 40,
                                    "FACTCHECK_AUDIT_KEY": "k" * 64})
    assert config["FACTCHECK_AUDIT_KEY"] == "k" * 64
    assert not (tmp_path / "audit_key").exists()


def test_development_generates_the_key_once_and_keeps_it(tmp_path):
    first = load_config(tmp_path, {})["FACTCHECK_AUDIT_KEY"]
    assert len(first) == 64 and (tmp_path / "audit_key").read_text() == first
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0
    assert load_config(tmp_path, {})["FACTCHECK_AUDIT_KEY"] == first  # a restart keeps the chain verifiable
    assert first != load_config(tmp_path, {})["SECRET_KEY"]


def test_the_key_reaches_the_settings_and_is_never_shown(tmp_path):
    settings = Settings.from_config(load_config(tmp_path, {"FACTCHECK_AUDIT_KEY": "a key of the newsroom"}))
    assert settings.audit_key == b"a key of the newsroom"
    assert "a key of the newsroom" not in repr(settings)


def test_checkpoints_go_to_the_instance_folder_unless_configured(tmp_path):
    default = from_config(load_config(tmp_path, {}))
    assert isinstance(default, FileCheckpoints) and default.path == tmp_path / "audit_checkpoints.jsonl"
    elsewhere = from_config(load_config(tmp_path, {"FACTCHECK_AUDIT_CHECKPOINT_FILE": str(tmp_path / "x.jsonl")}))
    assert isinstance(elsewhere, FileCheckpoints) and elsewhere.path == tmp_path / "x.jsonl"
    redis_only = from_config(load_config(tmp_path, {"FACTCHECK_REDIS_URL": "redis://127.0.0.1:1/0"}))
    assert isinstance(redis_only, RedisCheckpoints)
    both = from_config(load_config(tmp_path, {"FACTCHECK_REDIS_URL": "redis://127.0.0.1:1/0",
                                              "FACTCHECK_AUDIT_CHECKPOINT_FILE": str(tmp_path / "x.jsonl")}))
    assert isinstance(both, AllCheckpoints) and len(both.sinks) == 2
    assert isinstance(from_config({}), NoCheckpoints)


def test_a_checkpoint_file_in_a_missing_folder_is_made_and_then_appended_to(tmp_path):
    """The folder is made on the first commit that needs it; later commits append to the same file,
    owner-only, and the highest head is the one read back."""
    from factcheck.services.checkpoints import Head

    checkpoints = FileCheckpoints(tmp_path / "not" / "yet" / "checkpoints.jsonl")
    checkpoints.record(Head(1, "a" * 64, 1))
    checkpoints.record(Head(5, "b" * 64, 2))
    assert checkpoints.path.read_text().count("\n") == 2
    assert checkpoints.path.stat().st_mode & 0o777 == 0o600
    assert checkpoints.highest() == Head(5, "b" * 64, 2)
