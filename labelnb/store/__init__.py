"""Persistence: schema, migrations, transactions, leases (SQLAlchemy Core)."""

from labelnb.store.engine import create_store_engine, read_transaction, store_url, upgrade, write_transaction
from labelnb.store.predicted import PredictionReport
from labelnb.store.store import ImportReport, ProjectInfo, Store, StoreError

__all__ = [
    "ImportReport",
    "PredictionReport",
    "ProjectInfo",
    "Store",
    "StoreError",
    "create_store_engine",
    "read_transaction",
    "store_url",
    "upgrade",
    "write_transaction",
]
