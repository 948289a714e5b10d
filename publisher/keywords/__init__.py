"""Keywords: YAKE's candidates, names and phrases, each article's choice, the keyword index."""
