"""Ingestion: lease due sources, retrieve and parse them, schedule the next check, store."""
