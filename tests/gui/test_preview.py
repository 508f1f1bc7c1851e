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


def test_a_render_the_drafter_has_edited_past_is_given_up(qtbot, repo, monkeypatch):
    """Typing in a long memo, or closing the window, does not wait for the pages of an
    older version: the render under way stops at its next piece."""
    from briefer.core.memos import Memo
    from briefer.render import pdf

    workspace = Workspace.load()
    base, _ = read_memo(repo / "content" / "memos" / "state-of-play.brief.yaml")
    assert base is not None
    long = Memo(  # about 100 pages: seconds of work
        template=base.template,
        header=dict(base.header),
        sections={sid: items * 40 for sid, items in base.sections.items()},
    )
    given_up: list[int] = []
    monkeypatch.setattr(pdf.Stopped, "__init__", lambda self, *args: given_up.append(1))
    pane = PreviewPane(workspace)
    qtbot.addWidget(pane)
    rendered: list[int] = []
    pane.rendered.connect(rendered.append)
    pane.set_memo(long, None)  # renders at once
    pane.stop()  # as the window does when it closes
    assert pane.pool.waitForDone(30000)
    qtbot.wait(50)
    assert given_up  # stopped part way, not laid out to the end
    assert rendered == []
