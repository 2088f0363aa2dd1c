"""The bundled demo: sample sites, their local server, and a synthetic site generator."""
