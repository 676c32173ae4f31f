"""Settings package: ``base`` holds everything; ``dev``, ``test`` and ``prod`` adjust it."""
