"""Helpers for the open textbook *Deep Learning, Executed*.

Submodules are imported explicitly (``from dlbook import data``) so that a chapter
that only needs NumPy never pays for importing Keras.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
