"""Code shown in the troubleshooting guide.

Each module backs one page of docs/. The lines of a named section (between
its start and end markers) are what the page shows (pymdownx.snippets); the
function around them is what the live tests call against a real Clipper, so
the reader's copy and the tested code are the same bytes.
"""
