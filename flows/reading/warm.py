"""Imported by the worker pool's fork server: load the form schemas and the unit registry once there,
so every worker forked from it starts with them instead of spending ~0.3–0.5 s each (bench/README.md)."""

from schemas.registry import default_registry
from schemas.form_schema import load_forms

load_forms()
default_registry()
