"""Customer tag links: one narrow row per (customer, tag), cheap to write by the million."""
