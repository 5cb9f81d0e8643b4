"""Imported by the worker pool's fork server: load the form schemas and the unit registry once there,
so every worker forked from it starts with them instead of loading them itself (the pool's whole start-up is
the "worker pool cold start" row of bench/README.md)."""

from schemas.form_schema import load_forms
from schemas.registry import default_registry

load_forms()
default_registry()
