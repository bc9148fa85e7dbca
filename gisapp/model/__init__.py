"""Project, layers and the declarative layer kinds (no Qt)."""
