"""The desktop window (QtWidgets)."""
