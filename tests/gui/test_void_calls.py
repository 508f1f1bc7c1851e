"""A long session's worth of Qt calls never ends the process (PySide6 6.12 on Python 3.11
drops a reference to None on every void call; briefer.gui makes up for it)."""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = """
import sys
{setup}
from PySide6.QtWidgets import QApplication, QComboBox, QLabel
app = QApplication([])
label, combo = QLabel(), QComboBox()
for i in range(100_000):
    label.setText("x")
    combo.addItem("tag", "tag")
combo.clear()
print("survived")
"""


def run(setup: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", CALLS.format(setup=setup)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_two_hundred_thousand_void_calls_do_not_end_the_process():
    done = run("import briefer.gui")
    assert done.returncode == 0, done.stderr[-500:]
    assert "survived" in done.stdout


def test_without_the_guard_python_3_11_would_end_the_process():
    if sys.version_info >= (3, 12):
        return  # None is immortal there: nothing to guard against
    done = run("")
    assert done.returncode != 0, (
        "PySide6 no longer drops references to None: the guard in briefer/gui/__init__.py "
        "can go (and this test with it)"
    )
    assert "none_dealloc" in done.stderr
