"""Real folders for the package's data files, also when it runs from a zipped egg.

Scrapyd imports a deployed project from its ``.egg`` (a zip archive), where a
package's files have no path on disk. Most data is read with ``importlib.resources``;
two consumers need a real folder: the site registry (a folder of TOML files a user
may also point elsewhere) and Alembic (its migrations). :func:`package_path`
returns the folder itself for an ordinary install, and for an archive extracts
that part of it once into a cache folder keyed by the archive's path, size and
modification time.
"""
from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import tempfile
import zipfile
from pathlib import Path


def package_path(package: str, *parts: str) -> Path:
    """The path of ``parts`` under ``package``'s folder, extracted if it lives in a zip."""
    module = importlib.import_module(package)
    locations = list(getattr(module, "__path__", [])) or [os.path.dirname(module.__file__)]
    for base in locations:
        target = Path(base).joinpath(*parts)
        if target.exists():
            return target
    target = Path(locations[0]).joinpath(*parts)
    archive = next((p for p in target.parents if p.is_file() and zipfile.is_zipfile(p)), None)
    if archive is None:
        return target  # missing on disk and not in an archive: the caller reports it
    return _extracted(archive, target.relative_to(archive).as_posix())


def _extracted(archive: Path, inner: str) -> Path:
    stat = archive.stat()
    key = hashlib.blake2b(f"{archive.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode(),
                          digest_size=8).hexdigest()
    cache = Path(os.environ.get("RECAPS_CACHE_DIR") or tempfile.gettempdir())
    done = cache / f"recapscraper-{archive.stem}-{key}"
    if not done.exists():
        cache.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=done.name + ".", dir=cache))
        top = inner.split("/")[0] + "/"  # the whole top-level package: its files refer
        with zipfile.ZipFile(archive) as zf:  # to each other (Alembic's env.py, say)
            zf.extractall(work, members=[m for m in zf.namelist() if m.startswith(top)])
        try:
            work.rename(done)  # atomic: a concurrent process may have won, that is fine
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    return done / inner
