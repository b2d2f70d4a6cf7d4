"""Understanding a document before judging it: who its parties are (``parties``)."""
