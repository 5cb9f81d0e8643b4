"""The contract's CSV tables, rebuilt from every current outcome on each run: duplicates, Word + stamped pairs and
superseded versions are decided here (revisions), then the staff's files are written beside them."""
