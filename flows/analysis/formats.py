"""The output formats of `newsetl query` (a module of its own: the CLI imports it at start-up,
before pyarrow)."""

FORMATS = ("table", "line", "csv", "tsv", "json", "parquet")
