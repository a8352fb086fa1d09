"""Marks this folder as the package ``divaecon._notebooks`` (see ``setup.py``); it holds no code.

The notebooks here ship inside the wheel and are found with ``importlib.resources`` by
``divaecon.resources``, in a checkout and an installed copy alike.
"""
