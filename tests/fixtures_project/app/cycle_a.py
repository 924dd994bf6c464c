"""Two modules that import each other: the names stay unknown, and nothing hangs."""

from app.cycle_b import loop_b as loop_a
