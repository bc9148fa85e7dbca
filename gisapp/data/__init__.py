"""Reading and writing vector files and tables (no Qt)."""
