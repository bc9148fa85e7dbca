"""One map renderer for screen and paper (QtGui only)."""
