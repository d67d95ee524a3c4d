"""The corpus store (one SQLite file, see README.md), its full-text search and its exports.

    >>> from pipeline.store.database import Store
    >>> from pipeline.store.search import search
    >>> with Store("corpus/daihoi.db", create=False) as store:
    ...     hits = search(store.conn, "dang vien ket nap")
"""
