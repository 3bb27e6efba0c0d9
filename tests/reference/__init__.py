"""Tests of `reference/`: each reference is established against finite differences, sympy and the sources."""
