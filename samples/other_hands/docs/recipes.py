"""The family's recipes: each is one way an outside office fills one form; each is made once per set."""

from __future__ import annotations

from .recipe_type import Recipe
from .recipes_pdf import PDF_RECIPES
from .recipes_word import WORD_RECIPES
from .tweaks import _seal

RECIPES: list[Recipe] = WORD_RECIPES + PDF_RECIPES

__all__ = ["RECIPES", "Recipe", "_seal"]
