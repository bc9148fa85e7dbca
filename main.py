"""Start the desktop app, or run a command without a window: ``python main.py --help``."""

import sys

from gisapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
