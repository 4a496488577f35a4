"""Input and output shapes of the API; rules live in archive.services."""
