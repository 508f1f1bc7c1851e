"""Reading validated values out of YAML nodes, collecting every problem in one pass."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from briefer.core.problems import Problem
from briefer.core.yamlio import Map, Node, Scalar, Seq

CURRENT_FORMAT = 1
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# A migration turns a file of format N into format N + 1, in place on the node tree.
Migration = Callable[[Map], None]
MIGRATIONS: dict[int, Migration] = {}


def _describe(node: Node) -> str:
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    return "text"


class Reader:
    """Collects problems for one file while typed values are read out of its nodes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: Node | None, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (1, 1)
        self.problems.append(Problem(self.path, line, col, message))

    def warning(self, node: Node | None, message: str) -> None:
        line, col = (node.line, node.col) if node is not None else (1, 1)
        self.problems.append(Problem(self.path, line, col, message, "warning"))

    def mapping(
        self,
        node: Node | None,
        what: str,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> Map | None:
        """Check that node is a mapping with no unknown keys and every required key."""
        if not isinstance(node, Map):
            got = "nothing" if node is None else _describe(node)
            self.error(node, f"{what} must be a mapping of keys to values, not {got}")
            return None
        required = tuple(required)
        allowed = (*required, *optional)
        for key, key_node in node.keys.items():
            if key not in allowed:
                import difflib  # (only for a mistyped key)

                hint = difflib.get_close_matches(key, allowed, n=1)
                did_you = f"; did you mean {hint[0]!r}?" if hint else ""
                self.error(
                    key_node,
                    f"unknown key {key!r} in {what}{did_you} (allowed: {', '.join(allowed)})",
                )
        for key in required:
            value = node.values.get(key)
            if value is None:
                self.error(node, f"{what} is missing the required key {key!r}")
        return node

    def text(
        self, parent: Map, key: str, what: str, required: bool = False, default: str = ""
    ) -> str:
        """A text value; empty or absent gives the default (and an error if required)."""
        node = parent.values.get(key)
        if node is None:
            return default
        if not isinstance(node, Scalar):
            self.error(node, f"{key!r} in {what} must be text, not {_describe(node)}")
            return default
        if node.is_null or not node.text.strip():
            if required:
                self.error(node, f"{key!r} in {what} is empty; it needs a value")
            return default
        return node.text

    def choice(
        self, parent: Map, key: str, what: str, allowed: Iterable[str], default: str = ""
    ) -> str:
        """A text value that must be one of ``allowed``."""
        allowed = tuple(allowed)
        value = self.text(parent, key, what, required=not default, default=default)
        if value and value not in allowed:
            self.error(
                parent.values[key],
                f"{key!r} in {what} is {value!r}; it must be one of: {', '.join(allowed)}",
            )
            return default
        return value

    def identifier(self, parent: Map, key: str, what: str) -> str:
        """A required id: lowercase letters, digits and single hyphens."""
        value = self.text(parent, key, what, required=True)
        if value and not ID_RE.match(value):
            self.error(
                parent.values[key],
                f"{key!r} {value!r} in {what} may use only lowercase letters, digits and '-' "
                "(for example 'green-stimulus')",
            )
        return value

    def integer(
        self,
        parent: Map,
        key: str,
        what: str,
        minimum: int = 0,
        default: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """A whole number written as text."""
        node = parent.values.get(key)
        raw = self.text(parent, key, what)
        if not raw:
            return default
        try:
            value = int(raw.strip(), 10)
        except ValueError:
            self.error(node, f"{key!r} in {what} must be a whole number, not {raw!r}")
            return default
        if value < minimum:
            self.error(node, f"{key!r} in {what} must be {minimum} or more, not {value}")
            return default
        if maximum is not None and value > maximum:
            self.error(node, f"{key!r} in {what} must be {maximum} or less, not {value}")
            return default
        return value

    def number(
        self,
        parent: Map,
        key: str,
        what: str,
        default: float,
        bounds: tuple[float, float] = (0.01, 1000.0),
    ) -> float:
        """A decimal number written as text, within ``bounds`` (the message says them)."""
        node = parent.values.get(key)
        raw = self.text(parent, key, what)
        if not raw:
            return default
        try:
            value = float(raw.strip())
        except ValueError:
            self.error(node, f"{key!r} in {what} must be a number, not {raw!r}")
            return default
        low, high = bounds
        if value != value or not low <= value <= high:
            self.error(node, f"{key!r} in {what} must be between {low:g} and {high:g}, not {raw!r}")
            return default
        return value

    def line(self, parent: Map, key: str, what: str, limit: int, required: bool = False) -> str:
        """Text printed in a memo (a heading, a title): no control characters, and short
        enough to lay out; the message says what to fix."""
        value = self.text(parent, key, what, required=required)
        node = parent.values.get(key)
        bad = sorted({f"U+{ord(c):04X}" for c in value if ord(c) < 32 and c not in "\t\n"})
        if bad:
            self.error(node, f"{key!r} in {what} holds control characters ({', '.join(bad)})")
            return ""
        if len(value) > limit:
            self.error(node, f"{key!r} in {what} is {len(value)} characters long; at most {limit}")
            return value[:limit]
        return value

    def boolean(self, parent: Map, key: str, what: str, default: bool) -> bool:
        """``true`` or ``false`` (also yes/no); anything else is an error, never a guess."""
        node = parent.values.get(key)
        raw = self.text(parent, key, what).strip().lower()
        if not raw:
            return default
        if raw in ("true", "yes", "on"):
            return True
        if raw in ("false", "no", "off"):
            return False
        self.error(node, f"{key!r} in {what} must be true or false, not {raw!r}")
        return default

    def text_list(self, parent: Map, key: str, what: str, required: bool = False) -> list[str]:
        """A list of text; a single text value is accepted as a one-item list."""
        node = parent.values.get(key)
        if node is None:  # an absent required key is reported by mapping()
            return []
        if isinstance(node, Scalar) and node.is_null:
            if required:
                self.error(node, f"{what} needs {key!r}: a list with at least one entry")
            return []
        if isinstance(node, Scalar):
            return [node.text]
        if not isinstance(node, Seq):
            self.error(node, f"{key!r} in {what} must be a list of text, not {_describe(node)}")
            return []
        values = []
        for item in node.items:
            if isinstance(item, Scalar) and not item.is_null and item.text.strip():
                values.append(item.text)
            else:
                self.error(item, f"each entry of {key!r} in {what} must be non-empty text")
        if required and not values:
            self.error(node, f"{what} needs {key!r}: a list with at least one entry")
        return values

    def seq(self, parent: Map, key: str, what: str, required: bool = False) -> list[Node]:
        """The items of a list value."""
        node = parent.values.get(key)
        if node is None:  # an absent required key is reported by mapping()
            return []
        if isinstance(node, Scalar) and node.is_null:
            if required:
                self.error(node, f"{what} needs {key!r}: a list with at least one entry")
            return []
        if not isinstance(node, Seq):
            self.error(node, f"{key!r} in {what} must be a list, not {_describe(node)}")
            return []
        if required and not node.items:
            self.error(node, f"{what} needs {key!r}: a list with at least one entry")
        return node.items

    def format_version(self, root: Map, kind: str) -> bool:
        """Check ``format:`` and migrate older files; False if the file is too new to read."""
        version = self.integer(root, "format", kind, minimum=1, default=CURRENT_FORMAT)
        if version is None:
            return False
        if version > CURRENT_FORMAT:
            self.error(
                root.values.get("format"),
                f"this {kind} is format {version}, made by a newer Briefer; this Briefer reads "
                f"format {CURRENT_FORMAT} and older. Update Briefer to open it",
            )
            return False
        while version < CURRENT_FORMAT:
            MIGRATIONS[version](root)
            version += 1
        return True
