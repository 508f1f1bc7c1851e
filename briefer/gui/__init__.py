"""The desktop window: Qt models, views, dialogs and undo commands over core and render."""

from __future__ import annotations

import sys


def _keep_none_alive() -> None:
    """PySide6 6.12.0 on Python 3.11 hands back None from every void method (setText,
    addItem, setEnabled, ...) without taking a reference to it. None starts a session with
    about 5,000 references, so after that many calls the process ends with "Fatal Python
    error: none_dealloc" (measured: 5,000 QLabel.setText calls; a 10,000-card library's tag
    filter alone). True and False lose references somewhere too (a run of the window tests
    ended in "bool_dealloc" at exit; the call was not found). Python 3.12 made the three
    immortal; before it, each gets a stock of references no session can run down. They are
    never freed either way."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    if hasattr(sys, "getobjects"):  # a Py_TRACE_REFS build: the count is not the first field
        return
    import ctypes

    for constant in (None, True, False):
        # ob_refcnt is the first field of every object (a release build's PyObject).
        count = ctypes.c_ssize_t.from_address(id(constant))
        count.value += 1 << 40


_keep_none_alive()
