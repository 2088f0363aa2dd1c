"""The recap store: models, migrations, reads and writes (SQLAlchemy 2.0, Alembic)."""
