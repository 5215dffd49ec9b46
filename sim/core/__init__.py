"""The vocabulary every layer shares: kinds and causes (enums), :class:`ConfigError`,
distributions that know their moments, and seeded random streams.

The bottom layer: it imports nothing from the rest of :mod:`sim`.
"""
