"""Stable, ASCII, path-safe names for pages, and the shapes of slugs, ids and article ids."""
from __future__ import annotations

import re

from unidecode import unidecode

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # outlet and topic ids have this shape too
MAX_SLUG_LENGTH = 80
# An article's id: its seed's file name, which raw/<id>.txt and the manifest carry as well.
SEED_ID = r"[A-Za-z0-9][A-Za-z0-9_-]*"
SEED_ID_PATTERN = re.compile(f"^{SEED_ID}$")


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Transliterate to ASCII, lowercase, join words with hyphens, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", unidecode(text).lower().replace("'", ""))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text)) and len(text) <= MAX_SLUG_LENGTH
