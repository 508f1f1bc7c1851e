"""The library and templates a session works with, loaded together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefer.core import paths
from briefer.core.cardcache import ParseCache, TextCache, default_cache_dir
from briefer.core.cards import Arrived, CardLibrary, FileCache, Progress, load_library
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
    loaded: bool = True  # False from ``pending`` until ``adopt``
    _cache: FileCache = field(default_factory=dict, repr=False)
    # Parsed text kept between runs, for the command line's exports (``keep_texts``).
    texts: TextCache | None = field(default=None, repr=False)

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
        workspace = cls.pending(library_dirs, templates_dir, overridable)
        workspace.adopt(*workspace.first_read())
        return workspace

    @classmethod
    def pending(
        cls,
        library_dirs: Sequence[Path] | None = None,
        templates_dir: Path | None = None,
        overridable: Sequence[Path] = (),
    ) -> Workspace:
        """The templates, and an empty library until ``first_read`` has run (the window
        shows at once and reads the library on a worker thread)."""
        dirs = tuple(library_dirs) if library_dirs else (paths.bundled_library(),)
        tdir = templates_dir or paths.bundled_templates()
        return cls(CardLibrary(), load_templates(tdir), dirs, tdir, tuple(overridable), False)

    def first_read(
        self, progress: Progress | None = None, arrived: Arrived | None = None
    ) -> tuple[CardLibrary, FileCache]:
        """The library folders read with the persistent parse cache, and the per-file
        cache a later ``read_library`` starts from. Changes nothing here, so it may run on
        another thread while the workspace is in use (``load_library`` tells ``progress``
        and ``arrived``)."""
        cache: FileCache = {}
        persistent = ParseCache(default_cache_dir())
        try:
            library = load_library(
                self.library_dirs,
                overridable=self.overridable,
                cache=cache,
                persistent=persistent,
                progress=progress,
                arrived=arrived,
            )
        finally:
            persistent.close()
        return library, cache

    def adopt(self, library: CardLibrary, cache: FileCache) -> None:
        """Take a library read by ``first_read``. The library object stays the same one
        (models and sessions hold it); its cards, problems and files are replaced."""
        self.library.cards.clear()
        self.library.cards.update(library.cards)
        self.library.problems[:] = library.problems
        self.library.files[:] = library.files
        self._cache = cache
        self.loaded = True

    def keep_texts(self) -> TextCache:
        """Compose with a persistent cache of parsed text from now on: a one-off export
        of text it has seen before then never loads the Markdown parser."""
        if self.texts is None:
            self.texts = TextCache(default_cache_dir())
        return self.texts

    def read_library(self) -> CardLibrary:
        """The library folders read again, as they are on disk now (unchanged files are
        taken from the previous read)."""
        return load_library(self.library_dirs, overridable=self.overridable, cache=self._cache)
