"""Dataset loaders; each module exposes ``load(schema, **options)`` and ``data_files(**options)``."""
