"""Gap checks against the targets of the decision (no Qt)."""
