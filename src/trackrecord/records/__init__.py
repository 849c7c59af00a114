"""Stage 1: read YAML records, validate them, and check the rules across records."""
