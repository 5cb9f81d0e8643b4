"""Batches over an inbox folder: the command line, the Prefect flow, and the rooms they use (reading/, state/,
tables/, staff/); README.md "How it works" maps them."""
