"""Text extraction for the library and search: what a file is, and the text in it.

* ``apps.core.filetypes.sniff(path) -> FileKind``: the real type, from the content (never from
  the name), shared with every app's upload checks;
* ``apps.core.thaitext.decode_text`` / ``normalize_thai``: encodings of Thai text files, and Thai
  "as a reader would type it" from whatever a PDF or Office file gave;
* ``extractors.extract(path, kind) -> ExtractResult``: the in-process extractors;
* ``sandbox.extract_in_child(path) -> Outcome``: the same in a child process with a time and a
  memory limit, bomb checks first, and a thumbnail where cheap. Use it for anything but plain
  text, CSV and HTML.

The package (and the two core modules it uses) imports nothing from Django, so the child
process starts fast and never touches the database. Heavy parsers (pdfminer, PDFium,
python-docx, openpyxl, python-pptx) are imported only when a file needs them.
"""
