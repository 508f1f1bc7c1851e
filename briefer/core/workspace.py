"""The library and templates a session works with, loaded together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefer.core import paths
from briefer.core.cardcache import ParseCache, default_cache_dir
from briefer.core.cards import CardLibrary, FileCache, load_library
from briefer.core.problems import Problem
from briefer.core.templates import TemplateSet, load_templates


@dataclass
class Workspace:
    """A card library and a template set; ``problems`` holds what went wrong loading them."""

    library: CardLibrary
    templates: TemplateSet
    library_dirs: tuple[Path, ...]
    templates_dir: Path
    overridable: tuple[Path, ...] = ()
    _cache: FileCache = field(default_factory=dict, repr=False)

    @property
    def problems(self) -> list[Problem]:
        return [*self.library.problems, *self.templates.problems]

    @classmethod
    def load(
        cls,
        library_dirs: Sequence[Path] | None = None,
        templates_dir: Path | None = None,
        overridable: Sequence[Path] = (),
    ) -> Workspace:
        """Load the given folders, or the bundled ones when none are given."""
        dirs = tuple(library_dirs) if library_dirs else (paths.bundled_library(),)
        tdir = templates_dir or paths.bundled_templates()
        cache: FileCache = {}
        persistent = ParseCache(default_cache_dir())
        try:
            library = load_library(
                dirs, overridable=overridable, cache=cache, persistent=persistent
            )
        finally:
            persistent.close()
        return cls(library, load_templates(tdir), dirs, tdir, tuple(overridable), cache)

    def read_library(self) -> CardLibrary:
        """The library folders read again, as they are on disk now (unchanged files are
        taken from the previous read)."""
        return load_library(self.library_dirs, overridable=self.overridable, cache=self._cache)
