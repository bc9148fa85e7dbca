"""Wall maps, web maps and lists (QtGui only where printing)."""
