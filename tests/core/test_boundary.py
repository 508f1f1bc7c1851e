"""The core never imports Qt at all, and render never pulls in Qt widgets."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import briefer.core


def _loaded_after(imports: str) -> list[str]:
    code = f"import sys\n{imports}\nprint('\\n'.join(m for m in sys.modules if 'PySide6' in m))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_core_imports_no_pyside6():
    modules = [m.name for m in pkgutil.iter_modules(briefer.core.__path__, "briefer.core.")]
    assert "briefer.core.session" in modules
    assert "briefer.core.cardstore" in modules
    assert _loaded_after("\n".join(f"import {m}" for m in modules)) == []


def test_render_and_cli_import_no_qtwidgets():
    loaded = _loaded_after(
        "import briefer.cli, briefer.render.export, briefer.render.compose, "
        "briefer.render.docx, briefer.render.pdf, briefer.render.html"
    )
    assert [m for m in loaded if m.startswith("PySide6.QtWidgets")] == []
