"""Reading one inbox file: refuse what must not be opened, extract, recognise the form, apply staff corrections,
validate; in killable worker processes, within per-file limits. Everything a file's outcome depends on in flows/
is here (the ledger's reader version hashes it)."""
