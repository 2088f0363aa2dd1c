"""HTTP API, server-rendered pages and Atom feeds over the store (read-only)."""
