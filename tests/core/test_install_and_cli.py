"""Installing as Python users install, and a command line that behaves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from briefer.cli import build_parser, main


@pytest.mark.slow
def test_the_wheel_carries_the_library_and_templates(tmp_path, repo):
    """Build the wheel, install it into a fresh environment, use it from another folder."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(repo),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("briefer-*.whl")
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "briefer/icons/save.svg",
        "briefer/dictionary/briefer-words.txt",
        "briefer/help/guide.md",
        "briefer/fonts/LiberationSerif-Regular.ttf",
    ):
        assert shipped in names, f"the wheel lacks {shipped}"
    env_dir = tmp_path / "env"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    # Dependencies come from the test environment; Briefer itself only from the wheel (the
    # editable install's own .pth is not processed from a path listed in another .pth).
    new_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(new_site, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def briefer(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(env_dir / "bin" / "briefer"), *args],
            capture_output=True,
            text=True,
            cwd=elsewhere,
            env=env,
            timeout=120,
        )

    where = subprocess.run(
        [str(python), "-c", "import briefer.core.paths as p; print(p.bundled_library())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        check=True,
    ).stdout.strip()
    assert where.startswith(new_site), where
    validated = briefer("validate")
    assert validated.returncode == 0, validated.stderr
    assert re.search(r"OK: \d+ cards in \d+ files, 5 templates", validated.stdout)
    templates = briefer("templates")
    assert templates.returncode == 0, templates.stderr
    assert "action-memo" in templates.stdout
    memo = Path(where) / "memos" / "state-of-play.brief.yaml"
    exported = briefer("export", str(memo), "-o", str(elsewhere / "m.pdf"))
    assert exported.returncode == 0, exported.stderr
    assert (elsewhere / "m.pdf").read_bytes().startswith(b"%PDF")
    book = Path(where) / "books" / "beijing-visit.book.yaml"
    exported = briefer("export", str(book), "-o", str(elsewhere / "book.pdf"))
    assert exported.returncode == 0, exported.stderr
    assert "15 pages" in exported.stdout


def test_a_mistyped_command_is_an_error_with_a_suggestion(capsys):
    assert main(["valdate"]) == 2
    err = capsys.readouterr().err
    assert "'valdate' is not a command; did you mean 'validate'?" in err
    assert main(["no-such-memo.brief.yaml"]) == 2
    assert "neither a command" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly(repo):
    """``briefer cards | head -1``: exit 0 and no 'Broken pipe', every time."""
    script = (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'briefer', 'cards'],"
        " stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "p.stdout.readline(); p.stdout.close()\n"
        "err = p.stderr.read().decode(); code = p.wait()\n"
        "print(code, repr(err))\n"
    )
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=repo, check=True
        ).stdout
        code, err = out.split(" ", 1)
        assert code == "0", out
        assert "Broken pipe" not in err
        assert "Traceback" not in err


def test_every_argument_has_help():
    parser = build_parser()
    assert "opens the window" in parser.epilog
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"briefer {name}: {action.dest} has no help"
    cards = subparsers.choices["cards"]
    assert "--templates" not in cards.format_help()
