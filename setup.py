"""Only for `scrapyd-deploy`, which builds the egg with `setup.py bdist_egg`: the
project's metadata, packages and data files are all in pyproject.toml."""
from setuptools import setup

setup()
