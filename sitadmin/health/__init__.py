"""Liveness for load balancers and the load test's baseline."""
