"""The main window's commands: its actions (with their keys, tips and icons), its menus
and its toolbar. The window calls ``create_actions`` and ``create_menus`` once, as it is
built; the actions are its ``act_*`` attributes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from briefer.gui import dialogs
from briefer.gui import settings as S
from briefer.gui.book_pane import BookPane
from briefer.gui.icons import icon

if TYPE_CHECKING:
    from briefer.gui.main_window import MainWindow


# The key Briefer's guide gives for a standard command the desktop may leave unbound: a
# plain X11 session binds no Replace, so Ctrl+H did nothing there.
DOCUMENTED_KEYS = {QKeySequence.StandardKey.Replace: "Ctrl+H"}


def key_for(shortcut: QKeySequence | QKeySequence.StandardKey | str) -> QKeySequence:
    """The key for a command: the desktop's own for a standard one, else the documented."""
    if isinstance(shortcut, QKeySequence.StandardKey):
        bindings = QKeySequence.keyBindings(shortcut)
        if bindings:
            return bindings[0]
        return QKeySequence(DOCUMENTED_KEYS.get(shortcut, ""))
    return QKeySequence(shortcut)


def make_action(
    window: QWidget,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    tip: str = "",
    icon_name: str = "",
) -> QAction:
    """A command of ``window``: its keys (``key_for``), icon, and a tip that names them."""
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(key_for(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    # The tooltip says what the button does, and its key (the label is on the menu).
    tip = tip or text.replace("&", "").rstrip("…")
    action.setStatusTip(tip)
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({keys})" if keys else tip)
    action.triggered.connect(slot)
    return action


def menu_only_keys(action: QAction, keys: str) -> QAction:
    """Show ``keys`` beside a menu command whose keys the focused list handles itself
    (so they never steal Alt+Down from a combo box elsewhere in the window)."""
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    return action


def create_actions(window: MainWindow) -> None:
    """The window's actions, each with its keys, tip and icon (``window.act_*``)."""
    K = QKeySequence.StandardKey  # noqa: N806
    window.act_new = window._action(
        "&New memo…", window.new_memo, K.New, "Start a new memo from a template", "new"
    )
    window.act_open = window._action(
        "&Open memo…", window.open_memo, K.Open, "Open a memo file", "open"
    )
    window.act_save = window._action("&Save", window.memo.save, K.Save, "Save the memo", "save")
    window.act_save_as = window._action(
        "Save &as…", window.memo.save_as, K.SaveAs, "Save the memo under a new name"
    )
    window.act_close = window._action(
        "&Close memo", window.memo.close_memo, K.Close, "Close the memo; the window stays"
    )
    window.act_export_docx = window._action(
        "Export to &Word…",
        lambda: window.export(".docx"),
        "Ctrl+E",
        "Export the memo to a Word file (.docx)",
        "export-docx",
    )
    window.act_export_pdf = window._action(
        "Export to &PDF…",
        lambda: window.export(".pdf"),
        "Ctrl+Shift+E",
        "Export the memo to a PDF file",
        "export-pdf",
    )
    window.act_print = window._action(
        "&Print…", window.print_memo, K.Print, "Print the memo's pages", "print"
    )
    window.act_recover = window._action(
        "Recover unsaved work…", lambda: window.unsaved.offer(asked=True)
    )
    # The briefing book open beside the memo: its dock, view and Book menu commands.
    window.books = BookPane(
        window,
        window.workspace,
        window.settings,
        window.recovery,
        window.undo_group,
        window.memo,
        window._action,
    )
    window.book, window.book_dock = window.books.controller, window.books.dock
    window.act_new_book, window.act_book_add = window.books.act_new, window.books.act_add
    window.act_book_pdf = window.books.act_pdf
    window.act_quit = window._action("&Quit", window.close, K.Quit)
    window.act_undo = window.undo_group.createUndoAction(window, "&Undo")
    window.act_undo.setShortcut(QKeySequence(K.Undo))
    window.act_redo = window.undo_group.createRedoAction(window, "&Redo")
    window.act_redo.setShortcut(QKeySequence(K.Redo))
    window.act_find = window._action(
        "&Find…",
        window.find_anything,
        K.Find,
        "Find in the memo when you are working in it; otherwise search the cards",
        "find",
    )
    window.act_find_cards = window._action(
        "Find &cards", window.focus_search, "Ctrl+Shift+F", "Search the card library"
    )
    window.act_replace = window._action(
        "Find and &replace in memo…",
        window.find_in_memo,
        K.Replace,
        "Find and replace in the memo's header, typed text and rewordings",
    )
    window.act_new_card = window._action(
        "New &card…", lambda: window.library.new_card("background"), "Ctrl+Shift+N"
    )
    window.act_edit_card = window._action("&Edit card…", window.edit_selected_card, "Ctrl+Return")
    window.act_duplicate_card = window._action("&Duplicate card…", window.duplicate_card, "Ctrl+D")
    window.act_delete_card = window._action("De&lete card…", window.delete_card, "Ctrl+Delete")
    window.act_board = window._action("&Board", window.show_board, "Ctrl+1", "Go to the board")
    window.act_memo = window._action("&Memo", window.show_memo, "Ctrl+2", "Go to the memo")
    window.act_beside = window._action(
        "Board &beside memo",
        lambda: window.set_side_by_side(window.act_beside.isChecked()),
        "Ctrl+3",
        "Show the board and the memo side by side instead of in tabs",
    )
    window.act_beside.setCheckable(True)
    window.act_preferences = window._action(
        "&Preferences…", lambda: preferences(window), K.Preferences
    )
    window.act_about = window._action("&About Briefer", lambda: about(window))
    window.act_guide = window._action(
        "Briefer &user guide",
        lambda: user_guide(window),
        K.HelpContents,
        "Read the user guide",
        "help",
    )
    window.act_beside.setIcon(icon("beside"))

    # The Memo menu: what the section buttons and keys do, on the section worked in last.
    def item(text: str, action: str, keys: str | None = None) -> QAction:
        def run() -> None:
            if window.composer is not None:
                window.composer.item_action(action)

        tip = text.replace("&", "").rstrip("…") + " (selected item)"
        return window._action(text, run, keys, tip)

    window.item_actions = [
        item("&Add selected cards", "add-cards", "Ctrl+Shift+A"),
        item("Add &text…", "add-text", "Ctrl+Shift+T"),
        item("&Reword item…", "edit", "F2"),
        item("Re&vert item to card", "revert"),
        item("Compare with &library…", "compare"),
        menu_only_keys(item("Re&move item", "remove"), "Del"),
        menu_only_keys(item("Move &up", "move-up"), "Alt+Up"),
        menu_only_keys(item("Move &down", "move-down"), "Alt+Down"),
        menu_only_keys(item("Move to &previous section", "move-section-up"), "Alt+Shift+Up"),
        menu_only_keys(item("Move to &next section", "move-section-down"), "Alt+Shift+Down"),
    ]
    window.memo_actions = (
        window.act_replace,
        *window.item_actions,
        window.act_save,
        window.act_save_as,
        window.act_close,
        window.act_export_docx,
        window.act_export_pdf,
        window.act_print,
    )
    for action in window.memo_actions:
        action.setEnabled(False)


def create_menus(window: MainWindow) -> None:
    """The menu bar and the toolbar, from the actions ``create_actions`` made."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addActions([window.act_new, window.act_open])
    window.recent_menu = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    file_menu.addActions([window.act_save, window.act_save_as, window.act_close])
    file_menu.addSeparator()
    file_menu.addActions([window.act_export_docx, window.act_export_pdf, window.act_print])
    file_menu.addSeparator()
    file_menu.addAction(window.act_recover)
    file_menu.addSeparator()
    file_menu.addAction(window.act_quit)
    edit = bar.addMenu("&Edit")
    edit.addActions([window.act_undo, window.act_redo])
    edit.addSeparator()
    card_actions = (window.act_new_card, window.act_edit_card, window.act_duplicate_card)
    edit.addActions([window.act_find, window.act_replace, window.act_find_cards])
    edit.addSeparator()
    edit.addActions([*card_actions, window.act_delete_card])
    edit.addSeparator()
    edit.addAction(window.act_preferences)
    memo_menu = bar.addMenu("&Memo")
    memo_menu.addActions(window.item_actions[:2])
    memo_menu.addSeparator()
    memo_menu.addActions(window.item_actions[2:6])
    memo_menu.addSeparator()
    memo_menu.addActions(window.item_actions[6:])
    window.books.fill_menu(bar.addMenu("&Book"))
    view = bar.addMenu("&View")
    view.addActions([window.act_board, window.act_memo, window.act_beside])
    view.addSeparator()
    view.addAction(window.dock.toggleViewAction())
    view.addAction(window.problems_dock.toggleViewAction())
    view.addAction(window.book_dock.toggleViewAction())
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([window.act_guide, window.act_about])
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    toolbar.addActions([window.act_new, window.act_open, window.act_save])
    toolbar.addSeparator()
    # Fixed icons on the toolbar, so the buttons never move; the step is in the tooltip
    # (the Edit menu names it in full).
    window.tool_undo = toolbar.addAction(icon("undo"), "Undo", window.undo_group.undo)
    window.tool_redo = toolbar.addAction(icon("redo"), "Redo", window.undo_group.redo)
    for button in (window.tool_undo, window.tool_redo):
        button.setEnabled(False)
    window.undo_tip("")
    window.redo_tip("")
    window.undo_group.canUndoChanged.connect(window.tool_undo.setEnabled)
    window.undo_group.canRedoChanged.connect(window.tool_redo.setEnabled)
    window.undo_group.undoTextChanged.connect(window.undo_tip)
    window.undo_group.redoTextChanged.connect(window.redo_tip)
    toolbar.addSeparator()
    toolbar.addActions([window.act_export_docx, window.act_export_pdf, window.act_print])
    toolbar.addSeparator()
    toolbar.addActions([window.act_find, window.act_beside])
    window._rebuild_recent()


# -- the application's own commands ---------------------------------------------------
def preferences(window: MainWindow) -> None:
    """Edit › Preferences; a change of library folders takes effect at the next start."""
    from briefer.gui.preferences import PreferencesDialog

    def library_settings() -> tuple[object, ...]:
        return (window.settings.get(S.LIBRARY_FOLDERS), window.settings.get(S.NEW_CARD_FOLDER))

    before = library_settings()
    if PreferencesDialog(window.settings, window).exec() != QDialog.DialogCode.Accepted:
        return
    if library_settings() != before:
        window.notify("Preferences saved. The library folders change at the next start.")
    else:
        window.notify("Preferences saved.")


def about(window: QWidget) -> None:
    from briefer import __version__

    dialogs.tell(
        window,
        "About Briefer",
        f"Briefer {__version__} drafts briefing memos from a library of cards and exports "
        "them to Word and PDF. It works offline and makes no network connection.",
    )


def user_guide(window: QWidget) -> QDialog:
    """Help › User guide: the README's window section, shipped with Briefer (offline)."""
    from briefer.gui.help import GuideDialog

    dialog = window.findChild(GuideDialog)  # one guide: F1 again brings it forward
    if dialog is None:
        dialog = GuideDialog(window)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
