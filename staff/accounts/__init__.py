"""Signing in: expiring API tokens, lockout after repeated failures, request throttles."""
