"""The document tree both flows share (floor 2, next to the law; it imports only ``ecokernel``).

``tree.py`` holds the nodes: writers (``docgen.writers``) consume them, readers (``checkers.extract``)
produce them; ``ooxml.py`` the WordprocessingML vocabulary both DOCX sides use (namespaces, the
Word style of each role).
"""
