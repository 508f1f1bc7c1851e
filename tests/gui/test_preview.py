"""The preview pane on its own, as new pages arrive while a drafter types."""

from __future__ import annotations

from pathlib import Path

from briefer.core.memos import read_memo
from briefer.core.workspace import Workspace
from briefer.gui.preview import PreviewPane
from briefer.render.compose import compose
from briefer.render.pdf import PdfWriter


def pdf_of(memo_file: Path, workspace: Workspace) -> bytes:
    memo, _ = read_memo(memo_file)
    assert memo is not None
    return PdfWriter(compose(memo, workspace.library, workspace.templates)).to_bytes()


def test_the_preview_keeps_its_place_when_new_pages_arrive(qtbot, repo):
    workspace = Workspace.load()
    pages = pdf_of(repo / "content" / "memos" / "state-of-play.brief.yaml", workspace)
    pane = PreviewPane(workspace)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    qtbot.waitExposed(pane)
    pane.generation += 1
    pane.signals.finished.emit(pane.generation, pages, 3, "")
    bar = pane.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 1000)
    bar.setValue(bar.maximum() // 2)  # the drafter reads page 2
    place = bar.value()
    pane.generation += 1
    pane.signals.finished.emit(pane.generation, pages, 3, "")  # an edit: the pages again
    qtbot.wait(50)
    assert bar.value() == place
