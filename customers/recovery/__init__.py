"""Crash recovery: imports lost with their worker are queued again."""
