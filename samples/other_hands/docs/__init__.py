"""The "other hands" family of Word files and text PDFs (see samples/other_hands/README.md)."""
