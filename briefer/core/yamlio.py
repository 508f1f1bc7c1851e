"""Safe YAML reading: every scalar stays text, with 1-based positions for messages.

PyYAML's constructors are never used. The document is built from parser events, so
nothing in a file can construct an object or run code, duplicate keys are caught, and
aliases (the raw material of "billion laughs" bombs) are refused before anything walks
them. The C parser is used when libyaml is present.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefer.core.problems import BrieferError, Problem, display_path

try:
    from yaml import CSafeLoader as _Loader

    LOADER_NAME = "libyaml (CSafeLoader events)"
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    LOADER_NAME = "pure Python (SafeLoader events)"

MAX_FILE_BYTES = 16 * 1024 * 1024
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class Node:
    """A YAML node with the 1-based line and column where it starts."""

    line: int
    col: int


@dataclass
class Scalar(Node):
    """A scalar, always kept as the text the user wrote."""

    text: str
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in NULL_WORDS


@dataclass
class Seq(Node):
    """A sequence of nodes."""

    items: list[Node] = field(default_factory=list)


@dataclass
class Map(Node):
    """A mapping of text keys to nodes; ``keys`` holds each key's own position."""

    values: dict[str, Node] = field(default_factory=dict)
    keys: dict[str, Scalar] = field(default_factory=dict)


class YamlFileError(BrieferError):
    """A file that cannot be read as YAML at all; carries one Problem."""


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a file as UTF-8, with a clear message for size or encoding trouble.

    Only regular files are read: a FIFO, socket or device is refused without blocking.
    """
    return decode_utf8(read_bytes(path, max_bytes), display_path(path))


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, never more than ``max_bytes`` (YamlFileError otherwise)."""

    def fail(message: str) -> YamlFileError:  # the path is worked out only when needed
        return _error(display_path(path), 1, 1, message)

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise fail("a folder, not a file: choose a file inside it")
        if not stat.S_ISREG(info.st_mode):
            raise fail(
                "not a regular file (a pipe, socket or device); Briefer reads only ordinary "
                "files: remove it or point Briefer at the file itself",
            )
        if info.st_size > max_bytes:
            raise fail(
                f"file is {info.st_size / 1048576:.1f} MB, over the {max_bytes // 1048576} MB "
                "limit for a Briefer file; split it into smaller files",
            )
        # os.read, not a file object: for 10,000 files the wrapper was a fifth of the read.
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, max(info.st_size + 1, 65536)))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise fail(f"file is over the {max_bytes // 1048576} MB limit")
    return data


def decode_utf8(data: bytes, shown: str) -> str:
    """Decode UTF-8 (a BOM is allowed); otherwise name the encoding the file seems to use."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(data)
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(
            shown,
            line,
            col,
            f"file is not UTF-8 (it looks like {guess}); save it as UTF-8 and try again",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str:
    boms = [
        (codecs.BOM_UTF32_LE, "UTF-32 LE"),
        (codecs.BOM_UTF32_BE, "UTF-32 BE"),
        (codecs.BOM_UTF16_LE, "UTF-16 LE"),
        (codecs.BOM_UTF16_BE, "UTF-16 BE"),
    ]
    for bom, name in boms:
        if data.startswith(bom):
            return name
    if data[:200].count(b"\x00") > 10:
        return "UTF-16 without a byte-order mark"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "Latin-1 (ISO-8859-1)"
    return "Windows-1252 (Latin-1)"


def _error(path: str, line: int, col: int, message: str) -> YamlFileError:
    problem = Problem(path, line, col, message)
    return YamlFileError(str(problem), [problem])


MAX_FLOW_DEPTH = 64


def _flow_depth_problem(text: str, shown: str) -> YamlFileError | None:
    """``[[[[…`` nested deeper than any Briefer file needs, found before libyaml spends time
    that grows with the square of the depth on it. Quoted text and comments are skipped."""
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth, index, size = 0, 0, len(text)
    while index < size:
        char = text[index]
        if char in "[{":
            depth += 1
            if depth > MAX_FLOW_DEPTH:
                line = text.count("\n", 0, index) + 1
                col = index - text.rfind("\n", 0, index)
                return _error(
                    shown,
                    line,
                    col,
                    f"lists or mappings nested more than {MAX_FLOW_DEPTH} levels deep; no "
                    "Briefer file needs that many, so the file was not read",
                )
        elif char in "]}":
            depth = max(depth - 1, 0)
        elif char in "'\"" and (index == 0 or text[index - 1] in " \t\n[{,:"):
            end = index + 1
            while True:  # the closing quote ('' and \" are escapes, not ends)
                end = text.find(char, end)
                if end < 0 or char == "'" or text[end - 1] != "\\":
                    break
                end += 1
            index = size if end < 0 else end
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            end = text.find("\n", index)
            index = size if end < 0 else end
        index += 1
    return None


def parse_text(text: str, shown: str) -> Node | None:
    """Parse one YAML document into nodes; ``None`` for an empty document."""
    problem = _flow_depth_problem(text, shown)
    if problem is not None:
        raise problem
    builder = _Builder(shown)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or "YAML syntax error"
        if exc.context:
            reason = f"{exc.context}: {reason}"
        raise _error(shown, line, col, f"YAML syntax error: {reason}") from None
    except yaml.YAMLError as exc:
        position = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        raise _error(shown, line, col, f"YAML error: {reason}") from None
    return builder.root


def load_file(path: Path) -> Node | None:
    """Read and parse a Briefer YAML file; raises YamlFileError with a positioned Problem."""
    return parse_text(read_text(path), display_path(path))


_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)


class _Builder:
    """Turns parser events into Nodes, refusing tags, aliases and duplicate keys."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.stack: list[Map | Seq] = []
        self.pending_key: list[Scalar | None] = []
        self.root: Node | None = None
        self.documents = 0

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self._fail(event, "a file holds one YAML document; remove the extra '---'")
            return
        if isinstance(event, yaml.AliasEvent):
            self._fail(
                event,
                f"YAML aliases (*{event.anchor}) are not allowed in Briefer files; "
                "write the value out in full",
            )
        if isinstance(event, (yaml.ScalarEvent, *_OPEN)):
            tag = event.tag
            if tag is not None and tag not in ("!", "tag:yaml.org,2002:str"):
                self._fail(
                    event,
                    f"YAML tag {tag!r} is not allowed; Briefer files hold plain text, "
                    "lists and mappings only",
                )
        line, col = _position(event)
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style is None and event.implicit[0]
            self._add(Scalar(line, col, event.value, plain), event)
        elif isinstance(event, yaml.MappingStartEvent):
            node = Map(line, col)
            self._add(node, event)
            self.stack.append(node)
            self.pending_key.append(None)
        elif isinstance(event, yaml.SequenceStartEvent):
            seq = Seq(line, col)
            self._add(seq, event)
            self.stack.append(seq)
            self.pending_key.append(None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            self.stack.pop()
            self.pending_key.pop()

    def _add(self, node: Node, event: yaml.Event) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                self._fail(event, "a mapping key must be plain text")
            assert isinstance(node, Scalar)
            if node.text in parent.values:
                first = parent.keys[node.text]
                self._fail(
                    event,
                    f"duplicate key {node.text!r} (first at line {first.line}); "
                    "the second would silently replace the first, so remove one",
                )
            self.pending_key[-1] = node
            return
        parent.values[key.text] = node
        parent.keys[key.text] = key
        self.pending_key[-1] = None

    def _fail(self, event: yaml.Event, message: str) -> None:
        raise _error(self.shown, *_position(event), message)


def _position(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
