"""``briefer validate``, ``cards`` and ``templates`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefer.cli import main
from tests.conftest import card_yaml


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_bundled_validates(capsys):
    code, out, err = run(capsys, "validate")
    assert code == 0, err
    assert out.startswith("OK: ")
    assert "5 templates" in out


def test_all_problems_one_run_exit_2(capsys, tmp_path, write):
    write("lib/a.yaml", "cards:\n" + card_yaml("a", kind="memo"))
    write("lib/b.yaml", "cards:\n  - id: b\n    kind: risk\n")
    code, _, err = run(capsys, "validate", str(tmp_path / "lib"))
    assert code == 2
    lines = [line for line in err.splitlines() if ".yaml:" in line]
    assert len(lines) == 6  # 1 bad kind + 5 missing keys
    assert all(line.count(":") >= 3 for line in lines)
    assert "Traceback" not in err


def test_memo_path_is_checked_against_library(capsys, write):
    path = write(
        "m.brief.yaml",
        "template: one-pager\nsections:\n  bottom-line:\n    - card: nope\n",
    )
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "m.brief.yaml:4:13: unknown card 'nope' in section 'bottom-line'" in err


def test_template_path(capsys, write):
    path = write(
        "t.yaml",
        "id: t\nname: T\ndescription: d\nheading: H\nheader: [to]\n"
        "sections:\n  - {id: a, title: A, guidance: g, kinds: [quote], extra: 1}\n",
    )
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "t.yaml:7:52: unknown key 'extra'" in err


def test_card_file_links_resolve_against_library(capsys, write):
    path = write(
        "mine.yaml",
        "cards:\n"
        + card_yaml("my-initiative", kind="initiative", strategy="strategy-china-2030-ambition"),
    )
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0, err


def test_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nothing.yaml"))
    assert code == 2
    assert "no such file or folder" in err


def test_cards_json_has_every_field(capsys):
    code, out, _ = run(capsys, "cards", "--json")
    assert code == 0
    cards = json.loads(out)
    assert len(cards) >= 40
    first = cards[0]
    assert set(first) == {
        "id",
        "kind",
        "title",
        "tags",
        "strategy",
        "marking",
        "sources",
        "reviewed",
        "body",
    }


def test_cards_library_replaces_bundled(capsys, tmp_path, write):
    write("lib/a.yaml", "cards:\n" + card_yaml("only-one"))
    code, out, _ = run(capsys, "cards", "--json", "--library", str(tmp_path / "lib"))
    assert [c["id"] for c in json.loads(out)] == ["only-one"]


def test_library_can_repeat(capsys, tmp_path, write):
    write("one/a.yaml", "cards:\n" + card_yaml("first"))
    write("two/b.yaml", "cards:\n" + card_yaml("second"))
    code, out, _ = run(
        capsys,
        "cards",
        "--json",
        "--library",
        str(tmp_path / "one"),
        "--library",
        str(tmp_path / "two"),
    )
    assert sorted(c["id"] for c in json.loads(out)) == ["first", "second"]


def test_templates_json(capsys):
    code, out, _ = run(capsys, "templates", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["id"] for r in rows} >= {"action-memo", "one-pager"}
    assert set(rows[0]) >= {"id", "name", "description", "sections"}
    assert set(rows[0]["sections"][0]) == {"id", "title", "kinds"}


@pytest.mark.parametrize(
    "exe",
    [
        [sys.executable, "-m", "briefer"],
        [str(Path(sys.executable).with_name("briefer"))],  # the installed console script
    ],
    ids=["python -m briefer", "briefer"],
)
def test_entry_points_run(exe, tmp_path):
    result = subprocess.run(
        [*exe, "validate"], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "OK:" in result.stdout


def test_unsafe_yaml_never_runs_through_cli(capsys, tmp_path, write):
    marker = tmp_path / "pwned"
    write("lib/x.yaml", f"cards: !!python/object/apply:os.system ['touch {marker}']\n")
    code, _, err = run(capsys, "validate", str(tmp_path / "lib"))
    assert code == 2
    assert "not allowed" in err
    assert not marker.exists()
