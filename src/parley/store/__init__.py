"""store: records of many articles in SQLite (the default) or PostgreSQL, merged and queryable.

    from parley.store import open_store
    store = open_store("parley.db")        # or postgresql://user@host/db, or $PARLEY_DB
    store.add(record); store.events(actor="UKR").to_pandas()

``schema.py`` holds the tables and the schema version; ``db.py`` opens, writes and queries.
The store knows records (parley.record) and merging (parley.merge), never spaCy.
"""
from .db import DEFAULT_DB, Rows, Store, StoreError, open_store, resolve_url
from .schema import SCHEMA_VERSION

__all__ = ["DEFAULT_DB", "Rows", "SCHEMA_VERSION", "Store", "StoreError", "open_store", "resolve_url"]
