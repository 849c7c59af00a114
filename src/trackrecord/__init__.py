"""Track Record: who predicted AI progress correctly, and are AI's growth curves bending?

The data flows one way: YAML records --check--> validated records --build--> DuckDB
--fit--> fits --score--> scores --site--> static site. Each subpackage is one stage.
"""

__version__ = "0.1.0"
