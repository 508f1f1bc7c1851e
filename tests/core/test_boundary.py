"""The core and render layers never pull in Qt widgets."""

from __future__ import annotations

import subprocess
import sys


def test_core_and_render_import_no_qtwidgets():
    code = (
        "import sys, briefer.core.workspace, briefer.core.validate, briefer.core.memos, "
        "briefer.cli\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('briefer.render.export'):\n"
        "    import briefer.render.export\n"
        "bad = [m for m in sys.modules if m.startswith('PySide6.QtWidgets')]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
