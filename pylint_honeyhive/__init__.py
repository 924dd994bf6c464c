"""pylint plugin for the HoneyHive rules HH001 and HH002."""
