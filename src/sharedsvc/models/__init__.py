"""Canonical records, one module per domain. ``common`` holds what every design shares."""
