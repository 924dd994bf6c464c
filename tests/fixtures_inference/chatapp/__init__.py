"""A small application package: the inference fixtures import their tracers from it."""
