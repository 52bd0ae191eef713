"""Wiring: the long-lived services, the scheduled jobs, health, and running them all."""
