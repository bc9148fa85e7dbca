"""Remember how the user mapped a source's columns, so the next import of the same
kind of file needs no questions.

The store is one small JSON file in the user's configuration folder; a source is
known by its file name and its set of columns (see :func:`source_key`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from gisapp.errors import GisAppError

log = logging.getLogger(__name__)

STORE_NAME = "field_mappings.json"


def default_config_dir() -> Path:
    """The user's configuration folder for the application."""
    env = os.environ.get("GISAPP_CONFIG_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "gisapp"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "gisapp"


def source_key(path, columns) -> str:
    """A key for a source: its file name and a digest of its column names.

    The same ledger saved again next month (same name, same columns) gets the same
    key; a file with other columns gets another.
    """
    cols = "\n".join(sorted(str(c) for c in columns if c != "geometry"))
    digest = hashlib.sha1(cols.encode("utf-8")).hexdigest()[:12]
    return f"{Path(path).stem.lower()}#{digest}"


def _store(config_dir) -> Path:
    return Path(config_dir) if config_dir is not None else default_config_dir()


def _load(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("ignoring unreadable mapping store %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def remember_mapping(
    source_key: str, mapping: dict[str, str], config_dir=None, **extra
) -> Path:
    """Store ``{column: field}`` (and extras such as ``kind``, ``encoding``, ``crs``)
    for a source; returns the store's path."""
    folder = _store(config_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GisAppError(
            "the settings folder cannot be created",
            path=folder,
            value=str(exc),
            fix="check the permissions of the user profile folder",
        ) from exc
    path = folder / STORE_NAME
    data = _load(path)
    data[source_key] = {"mapping": dict(mapping), **extra}
    fd, tmp = tempfile.mkstemp(prefix=".mappings-", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
    return path


def recall_entry(source_key: str, config_dir=None) -> dict | None:
    """The stored entry for a source, ``{"mapping": {...}, "kind": ..., ...}``."""
    entry = _load(_store(config_dir) / STORE_NAME).get(source_key)
    return dict(entry) if isinstance(entry, dict) else None


def recall_mapping(source_key: str, config_dir=None) -> dict[str, str] | None:
    """The stored ``{column: field}`` of a source, or None when never mapped."""
    entry = recall_entry(source_key, config_dir)
    return dict(entry.get("mapping", {})) if entry else None
