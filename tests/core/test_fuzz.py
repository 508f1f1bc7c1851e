"""Mutated card files, templates and memos through validate and both exports: every run
ends with exit 0 or 2, within a time limit, with no traceback, and every message about the
mutated file names its line and column."""

from __future__ import annotations

import random
import re
import shutil
import signal
from collections.abc import Callable

import pytest

from briefer.cli import main

SEED = 20261201
PER_KIND = 100  # mutants of each kind: card file, template, memo (900 runs)
LIMIT_S = 10


def _lines(data: bytes, rng: random.Random) -> list[bytes]:
    return data.splitlines(True) or [b"\n"]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) or 1)]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data, rng)
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data, rng)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return b"".join(lines)


def reindent(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data, rng)
    i = rng.randrange(len(lines))
    lines[i] = b" " * rng.choice((0, 1, 3, 7)) + lines[i].lstrip(b" ")
    return b"".join(lines)


def change_type(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data, rng)
    candidates = [i for i, line in enumerate(lines) if b": " in line]
    if not candidates:
        return data
    i = rng.choice(candidates)
    key = lines[i].split(b": ", 1)[0]
    value = rng.choice([b"[a, b]", b"{x: 1}", b"~", b"''", b"- item", b"yes", b"0x1F"])
    lines[i] = key + b": " + value + b"\n"
    return b"".join(lines)


def huge_number(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data, rng)
    candidates = [i for i, line in enumerate(lines) if re.search(rb": \S", line)]
    if not candidates:
        return data
    i = rng.choice(candidates)
    key = lines[i].split(b": ", 1)[0]
    lines[i] = key + b": " + rng.choice([b"9" * 400, b"1e308", b"-1", b"nan", b"0"]) + b"\n"
    return b"".join(lines)


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((50, 500, 50000))
    return data + b"\nextra: " + b"[" * depth + b"]" * depth + b"\n"


def control_chars(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out.insert(rng.randrange(len(out) + 1), rng.choice(b"\x00\x07\x0b\x0c\x1b\x7f"))
    return bytes(out)


def bad_utf8(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice([b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80"]) + data[i:]


def bom(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\xef\xbb\xbf"]) + data


def crlf(data: bytes, rng: random.Random) -> bytes:
    return data.replace(b"\n", rng.choice([b"\r\n", b"\r"]))


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    truncate,
    flip_bytes,
    delete_line,
    duplicate_line,
    reindent,
    change_type,
    huge_number,
    deep_nesting,
    control_chars,
    bad_utf8,
    bom,
    crlf,
]


class TimeUp(Exception):
    pass


def _run(capsys, args: list[str]) -> tuple[int, str]:
    def up(*_):  # noqa: ANN002, ANN202
        raise TimeUp

    old = signal.signal(signal.SIGALRM, up)
    signal.alarm(LIMIT_S)
    try:
        code = main(args)
    except TimeUp:
        pytest.fail(f"briefer {' '.join(args)} took over {LIMIT_S} s")
    except BaseException as exc:  # a traceback would have reached the user
        pytest.fail(f"briefer {' '.join(args)} raised {type(exc).__name__}: {exc}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    _, err = capsys.readouterr()
    return code, err


@pytest.mark.slow
def test_mutated_files_never_crash_hang_or_lose_their_place(capsys, tmp_path, repo):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(repo / "content", content)
    shutil.copytree(repo / "templates", templates)
    out = tmp_path / "out"
    out.mkdir()
    memos = sorted((content / "memos").glob("*.brief.yaml"))
    targets = {
        "card": sorted(content.glob("*.yaml")),
        "template": sorted(templates.glob("*.yaml")),
        "memo": memos,
    }
    rng = random.Random(SEED)
    runs = codes = 0
    seen_codes: set[int] = set()
    for kind, files in targets.items():
        for n in range(PER_KIND):
            target = rng.choice(files)
            original = target.read_bytes()
            mutation = MUTATIONS[n % len(MUTATIONS)]
            target.write_bytes(mutation(original, rng))
            memo = target if kind == "memo" else rng.choice(memos)
            sources = ["--library", str(content), "--templates", str(templates)]
            commands = [
                ["validate", str(target), *sources],
                ["export", str(memo), "-o", str(out / "m.pdf"), *sources],
                ["export", str(memo), "-o", str(out / "m.docx"), *sources],
            ]
            try:
                for args in commands:
                    code, err = _run(capsys, args)
                    runs += 1
                    seen_codes.add(code)
                    assert code in (0, 2), f"{mutation.__name__} on {target.name}: exit {code}"
                    assert "Traceback" not in err
                    if code == 2 and kind != "memo" or args[0] == "validate" and code == 2:
                        about = [line for line in err.splitlines() if target.name + ":" in line]
                        placed = re.compile(re.escape(target.name) + r":\d+:\d+: ")
                        bad = [line for line in about if not placed.search(line)]
                        assert not bad, f"{mutation.__name__} on {target.name}: {bad[:2]}"
                    codes += code == 2
            finally:
                target.write_bytes(original)
    assert runs == 3 * 3 * PER_KIND
    assert seen_codes == {0, 2}  # the mutants are varied enough to reach both outcomes
    assert codes > runs // 4
