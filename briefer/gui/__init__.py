"""The desktop window: Qt models, views, dialogs and undo commands over core and render."""
