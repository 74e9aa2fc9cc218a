"""Reading the tables: the DuckDB query views, the HTML report and the data dictionary."""
