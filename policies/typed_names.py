"""Matching the name a person types when signing with the name recorded for them (issue 9.4).

People type names as their keyboard and phone allow: "Siobhan O'Neill" must sign for
"Siobhán O’Neill". Both names are compared after Unicode normalisation (NFKC), with every
apostrophe and quote variant treated as one, letter case and spacing ignored and accents
optional. Anything else must match: another person's name, a missing letter or a missing
apostrophe does not sign.
"""

import unicodedata

# Typed for an apostrophe: straight and curly quotes, the modifier letter, acute and grave
# accents typed on their own, primes. Mapped before NFKC, which would turn ´ into a space and
# a combining accent.
SINGLE_QUOTES = "'’‘‛ʼʻʹˈ´`′＇"  # noqa: RUF001
DOUBLE_QUOTES = '"“”„‟″＂'  # noqa: RUF001
_QUOTES = str.maketrans({**dict.fromkeys(SINGLE_QUOTES, "'"), **dict.fromkeys(DOUBLE_QUOTES, '"')})
# Latin letters that carry no separable accent, written as people without them type them.
_PLAIN_LETTERS = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe"}
)


def fold_name(name: str) -> str:
    """The form two names are compared in: "Siobhán  O’Neill" → "siobhano'neill"."""
    text = unicodedata.normalize("NFKC", (name or "").translate(_QUOTES))
    text = text.casefold().translate(_PLAIN_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char
        for char in decomposed
        if not unicodedata.combining(char)
        and not char.isspace()
        and unicodedata.category(char) != "Cf"  # zero-width spaces, direction marks, BOM
    )


def typed_name_matches(typed: str, recorded: str) -> bool:
    """Does the typed name stand for the recorded one? (An empty name never does.)"""
    folded = fold_name(typed)
    return bool(folded) and folded == fold_name(recorded)
