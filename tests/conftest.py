"""Shared fixtures for the test suite."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Notebooks kept as test data (sample submissions) are inputs, not tests for nbval.
collect_ignore_glob = ["fixtures/*", "**/fixtures/*"]


@pytest.fixture
def root() -> Path:
    return ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def work_dir(tmp_path, monkeypatch) -> Path:
    """A private folder for students' saved files; the tools see it through the env var."""
    folder = tmp_path / "work"
    monkeypatch.setenv("NETCOURSE_WORK_DIR", str(folder))
    return folder
