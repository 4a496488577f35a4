"""Writes to the catalogue. Views, serializers and tasks call these; they hold the rules."""
