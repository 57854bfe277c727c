"""Binder's environment.yml and pyproject.toml cannot drift, and repo2docker accepts the repo."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def pyproject_requirements(path: Path) -> dict[str, str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return _normalise(data["project"]["dependencies"])


def binder_requirements(path: Path) -> dict[str, str]:
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    if len(pip_lists) != 1:
        raise AssertionError(f"{path.name}: expected one pip: section, found {len(pip_lists)}")
    return _normalise(pip_lists[0])


def _normalise(lines: list[str]) -> dict[str, str]:
    reqs = {}
    for line in lines:
        req = Requirement(line)
        reqs[canonicalize_name(req.name)] = str(req.specifier)
    return reqs


def drift(pyproject: Path, environment: Path) -> list[str]:
    """Human-readable differences between the two dependency lists (empty when in step)."""
    left, right = pyproject_requirements(pyproject), binder_requirements(environment)
    found = []
    for name in sorted(set(left) | set(right)):
        if name not in right:
            found.append(f"{name}: in pyproject.toml only")
        elif name not in left:
            found.append(f"{name}: in environment.yml only")
        elif left[name] != right[name]:
            found.append(f"{name}: pyproject.toml says {left[name]!r}, environment.yml says {right[name]!r}")
    return found


def test_environment_yml_matches_pyproject(root):
    assert drift(root / "pyproject.toml", root / "environment.yml") == []


def test_binder_python_matches_supported_range(root):
    env = yaml.safe_load((root / "environment.yml").read_text(encoding="utf-8"))
    assert "python=3.11" in env["dependencies"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("pandas>=2.2", "pandas>=2.0", "pandas: pyproject.toml says '>=2.2', environment.yml says '>=2.0'"),
        ('    "jinja2>=3.1",\n', "", "jinja2: in environment.yml only"),
    ],
)
def test_a_change_on_one_side_only_is_caught(root, tmp_path, old, new, expected):
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    environment = (root / "environment.yml").read_text(encoding="utf-8")
    if old.startswith("    "):
        assert old in pyproject
        pyproject = pyproject.replace(old, new)
    else:
        assert old in environment
        environment = environment.replace(old, new)
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    (tmp_path / "environment.yml").write_text(environment, encoding="utf-8")
    assert expected in drift(tmp_path / "pyproject.toml", tmp_path / "environment.yml")


def test_postbuild_installs_the_package(root):
    post_build = root / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "pip install --no-deps -e ." in post_build.read_text(encoding="utf-8")
    assert not (root / "binder").exists(), "Binder files live at the root, not in binder/"


def test_readme_badge_opens_the_start_page(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "urlpath=lab/tree/notebooks/00_start.ipynb" in readme
    assert (root / "notebooks" / "00_start.ipynb").is_file()


def test_repo2docker_accepts_the_repository(root, tmp_path):
    exe = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))
    assert exe, "jupyter-repo2docker is a test dependency (pyproject [test] extra)"
    result = subprocess.run(
        [exe, "--no-build", "--no-run", "--user-name", "student", "--user-id", "1000", str(root)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout
    assert "environment.yml" in dockerfile
    assert "postBuild" in dockerfile, "repo2docker did not pick up postBuild"
