"""The audit log (审计日志): who did what, from where, to which object. Append-only."""
