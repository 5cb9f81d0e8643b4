"""What a run remembers and guards between runs: the ledger, the plan of what to (re-)read, the run lock and
whether a file on the shared drive has finished copying."""
