"""What a person reads: the HTML report and its figures, maps and animations, the interactive
explore page, ``explain``'s plain words, compare reports and terminal tables.

May import :mod:`sim.run` (to read run folders) and the layers below it; never the API or CLI.
"""
