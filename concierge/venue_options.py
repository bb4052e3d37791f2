"""What a venue can offer: the option names both the catalog schema and the needs vocabulary speak.

Kept below both: a venue lists the options it offers (``catalog.schema``), a need names the options it
requires (``needs.vocabulary``), and the catalog filters venues by needs, so neither package imports the other's
definitions of them.
"""

from __future__ import annotations

from typing import Literal

# What a kitchen can reliably serve: diets, religious rules, and free-from meals for the 14 EU major allergens.
DietaryOption = Literal[
    "vegan", "vegetarian", "pescatarian", "halal", "kosher",
    "gluten_free", "crustacean_free", "egg_free", "fish_free", "peanut_free", "soy_free", "dairy_free",
    "tree_nut_free", "celery_free", "mustard_free", "sesame_free", "sulphite_free", "lupin_free", "mollusc_free",
]  # fmt: skip
# What a venue offers for access: step-free entrance and toilet, a hearing loop, braille / large-print menus or signs.
AccessFeature = Literal["step_free", "hearing_loop", "braille_large_print"]
