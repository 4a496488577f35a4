"""Thin API views: parse, call a service or selector, serialise."""
