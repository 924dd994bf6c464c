"""A src/ layout package: its modules are named `worker.*`."""
