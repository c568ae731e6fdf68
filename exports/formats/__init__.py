"""One module per export format; each has CONTENT_TYPE, EXTENSION and
generate(ctx), which yields the file's text (or writes the PDF)."""
