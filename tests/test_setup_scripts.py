"""`make test`'s own set-up (scripts/): on a machine that cannot install, one line and a quick stop; with apt, installs.

The scripts run in a fake machine: PATH holds only stubs (`id`, `sudo`, `apt-get`, the commands the suite uses) and
links to the few real tools bash needs, so what is "installed" is exactly what each test puts there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENSURE = ROOT / "scripts" / "ensure-system.sh"
WITH_PG = ROOT / "scripts" / "with-test-postgres.sh"
EVERYTHING = ("chromium", "pdftotext", "wrk")


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path):
    """A fake machine: returns (bin folder, env); the font lives at a path in tmp_path that exists only if made."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "cat", "ls", "sort", "tail", "head", "dirname", "mkdir", "touch", "python3"):
        real = shutil.which(tool)
        if real:
            (bin_dir / tool).symlink_to(real)
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "VENV": str(Path(sys.executable).parent.parent),  # a venv exists: python3-venv is not needed
        "PORTAL_PDF_FONT_PATH": str(tmp_path / "fonts" / "wqy-microhei.ttc"),
        "POPPLER_DATA_DIR": str(tmp_path / "poppler"),  # its cMap/Adobe-GB1 exists only if made
    }
    return bin_dir, env


def run(script: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["/bin/bash", str(script), *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_without_root_it_stops_at_once_with_one_line_naming_every_missing_package(machine) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 1000")
    stub(bin_dir, "apt-get", 'echo "apt-get must not run" >&2; exit 99')
    done = run(ENSURE, "test", env=env)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    for package in ("fonts-wqy-microhei", "poppler-utils", "poppler-data", "chromium", "wrk"):
        assert package in lines[0]
    assert "sudo apt-get install -y" in lines[0]
    assert "make test again" in lines[0]


def test_sudo_that_asks_for_a_password_counts_as_no_root(machine) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 1000")
    stub(bin_dir, "sudo", "exit 1")  # `sudo -n true` fails: a password would be needed
    for name in EVERYTHING:
        stub(bin_dir, name, "exit 0")
    done = run(ENSURE, "test", env=env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1
    assert "fonts-wqy-microhei" in done.stderr
    assert [p for p in ("chromium", "poppler-utils", "wrk") if p in done.stderr] == []


def test_each_target_asks_only_for_what_it_needs(machine) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 1000")
    run_target = run(ENSURE, "run", env=env).stderr
    fast = run(ENSURE, "fast", env=env).stderr
    packages = ("fonts-wqy-microhei", "poppler-utils", "poppler-data", "chromium", "wrk")
    assert [p for p in packages if p in run_target] == ["fonts-wqy-microhei"]
    assert [p for p in packages if p in fast] == ["fonts-wqy-microhei", "poppler-utils", "poppler-data"]
    assert run_target.startswith("make run needs")
    assert fast.startswith("make test-fast needs")


def test_a_machine_with_everything_passes_silently(machine) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 1000")
    for name in EVERYTHING:
        stub(bin_dir, name, "exit 0")
    font = Path(env["PORTAL_PDF_FONT_PATH"])
    font.parent.mkdir()
    font.write_bytes(b"")
    (Path(env["POPPLER_DATA_DIR"]) / "cMap" / "Adobe-GB1").mkdir(parents=True)
    done = run(ENSURE, "test", env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.parametrize("how", ["root", "sudo"])
def test_as_root_or_with_sudo_it_installs_the_missing_packages_with_apt(machine, tmp_path: Path, how: str) -> None:
    bin_dir, env = machine
    log = tmp_path / "apt.log"
    font = Path(env["PORTAL_PDF_FONT_PATH"])
    cmaps = Path(env["POPPLER_DATA_DIR"]) / "cMap" / "Adobe-GB1"
    # apt-get "installs" by making the commands and the font appear; it records how it was called
    installs = "\n".join(f"touch {bin_dir}/{name}; chmod +x {bin_dir}/{name}" for name in EVERYTHING)
    stub(
        bin_dir,
        "apt-get",
        f'echo "$@" >> {log}\nif [ "$1" = install ]; then {installs}; mkdir -p {font.parent} {cmaps}; touch {font}; fi',
    )
    if how == "root":
        stub(bin_dir, "id", "echo 0")
    else:
        stub(bin_dir, "id", "echo 1000")
        stub(bin_dir, "sudo", f'echo sudo "$@" >> {log}; [ "$1" = -n ] && shift; "$@"')
    done = run(ENSURE, "test", env=env)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    installed = [c for c in calls if c.startswith("install")]
    assert len(installed) == 1
    assert set(installed[0].split()) >= {"fonts-wqy-microhei", "poppler-utils", "poppler-data", "chromium", "wrk"}
    assert any(c.startswith("update") for c in calls)
    assert any(c.startswith("sudo -n apt-get install") for c in calls) == (how == "sudo")


def test_apt_that_installs_nothing_is_reported_in_one_line(machine) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 0")
    stub(bin_dir, "apt-get", "exit 0")  # claims success, installs nothing
    done = run(ENSURE, "test", env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("make test: still missing after apt-get: ")


def test_without_a_postgresql_and_without_initdb_it_stops_with_one_line(machine, tmp_path: Path) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 1000")
    env = {
        **env,
        "PORTAL_TEST_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/portal_test",  # port 9: no one
        "POSTGRESQL_LIB": str(tmp_path / "no-postgresql"),
    }
    done = run(WITH_PG, "echo", "ran", env=env)
    assert done.returncode == 1
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "sudo apt-get install -y postgresql" in done.stderr
    assert "PORTAL_TEST_DATABASE_URL=" in done.stderr


def test_an_empty_database_url_runs_the_command_on_sqlite_only(machine) -> None:
    _bin_dir, env = machine
    done = run(WITH_PG, "/bin/echo", "ran", env={**env, "PORTAL_TEST_DATABASE_URL": ""})
    assert (done.returncode, done.stdout) == (0, "ran\n")


def test_ci_runs_exactly_the_readme_command() -> None:
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "exec make test"]
    assert "make test " in (ROOT / "README.md").read_text()


@pytest.mark.postgres
@pytest.mark.skipif(not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")), reason="PostgreSQL's server binaries")
def test_when_no_postgresql_answers_a_throwaway_cluster_serves_the_command_and_is_removed_after(tmp_path) -> None:
    probe = (
        "import os, psycopg; url = os.environ['PORTAL_TEST_DATABASE_URL']; print(url); "
        "c = psycopg.connect(url.replace('+psycopg', '').rsplit('/', 1)[0] + '/postgres'); "
        "print(c.execute('show fsync').fetchone()[0]); print(c.execute('show data_directory').fetchone()[0])"
    )
    env = {**os.environ, "PORTAL_TEST_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/portal_mine"}
    env["VENV"] = str(Path(sys.executable).parent.parent)
    done = run(WITH_PG, sys.executable, "-c", probe, env=env)
    assert done.returncode == 0, done.stderr
    url, fsync, data_directory = done.stdout.splitlines()
    assert re.fullmatch(r"postgresql\+psycopg://postgres@127\.0\.0\.1:554\d\d/portal_mine", url), url
    assert fsync == "off"
    assert not Path(data_directory).exists()  # stopped and removed
    assert "throwaway cluster" in done.stderr


def test_without_a_postgresql_to_use_or_start_the_one_line_names_postgresql_too(machine, tmp_path: Path) -> None:
    bin_dir, env = machine
    stub(bin_dir, "id", "echo 1000")
    for name in EVERYTHING:
        stub(bin_dir, name, "exit 0")
    env = {
        **env,
        "PORTAL_TEST_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/portal_test",  # port 9: no one
        "POSTGRESQL_LIB": str(tmp_path / "no-postgresql"),
    }
    done = run(ENSURE, "test", env=env)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "postgresql" in done.stderr.split(";")[0]
    # the edit-and-test loop needs no PostgreSQL
    assert "postgresql" not in run(ENSURE, "fast", env=env).stderr


def test_as_root_postgresql_comes_in_the_same_apt_call(machine, tmp_path: Path) -> None:
    bin_dir, env = machine
    log = tmp_path / "apt.log"
    lib = tmp_path / "lib-postgresql"
    font = Path(env["PORTAL_PDF_FONT_PATH"])
    font.parent.mkdir()
    font.write_bytes(b"")
    (Path(env["POPPLER_DATA_DIR"]) / "cMap" / "Adobe-GB1").mkdir(parents=True)
    for name in EVERYTHING:
        stub(bin_dir, name, "exit 0")
    stub(bin_dir, "id", "echo 0")
    stub(
        bin_dir,
        "apt-get",
        f'echo "$@" >> {log}\nif [ "$1" = install ]; then mkdir -p {lib}/15/bin; touch {lib}/15/bin/initdb; fi',
    )
    env = {**env, "PORTAL_TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:9/t", "POSTGRESQL_LIB": str(lib)}
    done = run(ENSURE, "test", env=env)
    assert done.returncode == 0, done.stderr
    assert [c for c in log.read_text().splitlines() if c.startswith("install")] == [
        "install -y -qq --no-install-recommends postgresql"
    ]
