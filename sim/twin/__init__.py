"""The pure-Python twin of the compiled handlers, by concept; :mod:`sim._handlers_py` gathers
it under the compiled module's names."""
