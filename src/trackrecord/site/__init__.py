"""The MkDocs website: pages generated from the database, with charts (`charts`)."""
