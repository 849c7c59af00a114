"""Stage 2: load validated records into DuckDB (tables prefixed rec_), atomically."""
