"""Where the declarative folders of the application live."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS_DIR = ROOT / "layers"
STYLES_DIR = ROOT / "styles"
RULES_DIR = ROOT / "rules"
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_PROJECT = SAMPLE_DIR / "jingmen" / "project.toml"
