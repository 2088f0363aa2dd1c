"""Alembic environment: the engine comes from storage.db (config.attributes["engine"])."""
from __future__ import annotations

from alembic import context

from sqlalchemy import text

from storage.db import create_store_engine, writer
from storage.models import Base

# Any fixed number: concurrent upgraders of one PostgreSQL database queue on it.
PG_MIGRATION_LOCK = 7310451

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_store_engine(
        config.get_main_option("sqlalchemy.url"))
    # Several processes may open a new store at once: one migrates, the others wait
    # (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock) and then find it done.
    with writer(engine).connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                               {"k": PG_MIGRATION_LOCK})
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # ALTER via table copy
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
