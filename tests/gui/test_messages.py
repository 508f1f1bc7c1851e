"""The message boxes themselves: what a user reads when something cannot be done."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from briefer.gui import dialogs


def _shown(monkeypatch) -> list[QMessageBox]:
    boxes: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        boxes.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return boxes


def test_a_files_problems_are_in_the_message_not_behind_a_button(qtbot, monkeypatch):
    boxes = _shown(monkeypatch)
    problems = "memo.brief.yaml:3:1: YAML aliases (*a) are not allowed"
    dialogs.tell(None, "Cannot open memo", "memo.brief.yaml has problems.", problems, True)
    box = boxes[0]
    assert problems in box.text()
    assert box.detailedText() == ""  # nothing hidden
    assert box.icon() == QMessageBox.Icon.Critical


def test_a_long_list_shows_its_start_and_keeps_the_rest_under_details(qtbot, monkeypatch):
    boxes = _shown(monkeypatch)
    problems = [f"cards.yaml:{n}:1: unknown key 'colour'" for n in range(1, 21)]
    dialogs.tell(None, "Cannot open", "cards.yaml has problems.", "\n".join(problems))
    box = boxes[0]
    assert all(p in box.text() for p in problems[: dialogs.SHOWN_DETAIL_LINES])
    assert problems[dialogs.SHOWN_DETAIL_LINES] not in box.text()
    assert f"and {20 - dialogs.SHOWN_DETAIL_LINES} more" in box.text()
    assert box.detailedText().splitlines() == problems


def test_names_from_a_file_are_shown_as_written_never_as_markup(qtbot, monkeypatch):
    boxes = _shown(monkeypatch)
    name = '<a href="https://example.org">click</a><img src="/etc/x.png">.brief.yaml'
    dialogs.tell(None, "Cannot open memo", f"{name} has problems.")
    dialogs.confirm(None, "Remove", f"Remove {name}?", "Remove")
    dialogs.ask_save(None, name)
    dialogs.choose(None, "Locked", f"{name} is open elsewhere.", ["Open anyway", "Cancel"])
    assert len(boxes) == 4
    for box in boxes:
        assert box.textFormat() == Qt.TextFormat.PlainText
        assert name in box.text()
