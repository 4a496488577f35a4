"""Full-text search over what the caller may see: recordings, narratives, annotations (with
their time), people, places, instruments and traditions, in any script, case- and
diacritic-insensitive, with the same results on SQLite and PostgreSQL."""
