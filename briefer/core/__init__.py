"""Cards, templates, memos, validation and storage. Pure Python: never imports QtWidgets."""
