"""Settings resolution: explicit arguments, 1.7 config objects, ``HH_*`` variables, defaults."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from honeyhive.tracer.config import (
    DEFAULT_SERVER_URL,
    env_flag,
    normalize_server_url,
    normalize_session_id,
    read_config_objects,
    resolve_settings,
)

from .conftest import Made


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("YES", True),
        (" 1 ", True),
        ("On", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_boolean_variables(raw: str, expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HH_TEST_MODE", raw)
    assert env_flag("HH_TEST_MODE") is expected


def test_unset_boolean_variable_is_none() -> None:
    assert env_flag("HH_TEST_MODE") is None


def test_invalid_boolean_variable_is_a_value_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, made: Made
) -> None:
    monkeypatch.setenv("HH_STRICT", "maybe")
    with pytest.raises(ValueError, match=r"HH_STRICT='maybe'"):
        made.in_memory()


def test_session_ids_are_canonical_lower_case_uuids() -> None:
    value = uuid.uuid4()
    assert normalize_session_id(str(value).upper()) == str(value)
    assert normalize_session_id(value) == str(value)
    assert normalize_session_id(f" {value} ") == str(value)
    for bad in ("", "abc", "1234", 42, None):
        with pytest.raises(ValueError, match="is not a UUID"):
            normalize_session_id(bad)


def test_server_url_must_be_http() -> None:
    assert normalize_server_url("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    for bad in ("127.0.0.1:8080", "ftp://host", "https://"):
        with pytest.raises(ValueError, match="server_url"):
            normalize_server_url(bad)


def test_defaults() -> None:
    settings = resolve_settings({}, None)
    destination = settings.destination
    assert destination.api_key is None
    assert destination.server_url == DEFAULT_SERVER_URL
    assert destination.source == "dev"
    assert (destination.test_mode, destination.disable_batch) == (False, False)
    assert (destination.offline, destination.uses_network) == (True, False)
    assert (settings.project, settings.verbose, settings.strict) == (None, False, False)


def test_environment_fills_what_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HH_API_KEY", "env-key")
    monkeypatch.setenv("HH_PROJECT", "env-project")
    monkeypatch.setenv("HH_SOURCE", "env-source")
    monkeypatch.setenv("HH_API_URL", "http://env.example/")
    monkeypatch.setenv("HH_DISABLE_BATCH", "yes")
    monkeypatch.setenv("HH_STRICT", "1")
    monkeypatch.setenv("HH_VERBOSE", "true")
    settings = resolve_settings({}, None)
    assert settings.destination.api_key == "env-key"
    assert settings.destination.server_url == "http://env.example"
    assert settings.destination.source == "env-source"
    assert settings.destination.disable_batch
    assert settings.destination.uses_network
    assert (settings.project, settings.strict, settings.verbose) == ("env-project", True, True)


def test_explicit_arguments_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HH_API_KEY", "env-key")
    monkeypatch.setenv("HH_SOURCE", "env-source")
    monkeypatch.setenv("HH_STRICT", "true")
    monkeypatch.setenv("HH_TEST_MODE", "true")
    settings = resolve_settings(
        {"api_key": "arg-key", "source": "arg-source", "strict": False, "test_mode": False}, None
    )
    assert settings.destination.api_key == "arg-key"
    assert settings.destination.source == "arg-source"
    assert settings.strict is False
    assert settings.destination.test_mode is False


def test_ingestion_key_wins_and_blank_variables_are_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HH_API_KEY", "   ")
    monkeypatch.setenv("HH_PROJECT", "")
    assert resolve_settings({}, None).destination.api_key is None
    assert resolve_settings({}, None).project is None
    both = resolve_settings({"api_key": "plain", "ingestion_api_key": "ingest"}, None)
    assert both.destination.api_key == "ingest"


@pytest.mark.parametrize(
    ("argument", "value"), [("api_key", 1), ("project", ["p"]), ("test_mode", "true")]
)
def test_wrong_types_are_type_errors_naming_the_argument(argument: str, value: Any) -> None:
    with pytest.raises(TypeError, match=argument):
        resolve_settings({argument: value}, None)


def test_17_config_objects_fill_unset_arguments(made: Made) -> None:
    config = SimpleNamespace(project="from-config", source="cfg", verbose=None)
    session_config = {"session_name": "from-session-config", "inputs": {"q": 1}}
    evaluation_config = SimpleNamespace(run_id="r", dataset_id="d", datapoint_id="p")
    tracer, _ = made.in_memory(
        project=None,
        source="explicit",
        config=config,
        session_config=session_config,
        evaluation_config=evaluation_config,
    )
    assert tracer.project == "from-config"
    assert tracer.source == "explicit"
    assert tracer.session_name == "from-session-config"
    assert (tracer.run_id, tracer.dataset_id, tracer.datapoint_id) == ("r", "d", "p")
    assert tracer.is_evaluation  # all three evaluation ids given, as 1.7 infers
    assert read_config_objects(None, {"unknown": 1}) == {}


def test_repr_never_shows_the_key() -> None:
    settings = resolve_settings({"api_key": "secret-key-123"}, None)
    assert "secret-key-123" not in repr(settings)
    assert "secret-key-123" not in repr(settings.destination)
