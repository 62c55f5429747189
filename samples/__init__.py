"""Generated test material: ID cards, business licenses, face and curtain photos.

Shared by the demo data, the tests and the benchmarks. Everything is rendered
here from fonts and sample images that ship in installed packages; nothing is
downloaded.
"""
