"""Reading other archives (pure, no Django): OAI-PMH records (OLAC, oai_dc) and IIIF manifests mapped
to the archive's fields, and a polite HTTP client (one request at a time per host, backoff,
Retry-After). The services in archive/services/harvest.py store what these read."""
