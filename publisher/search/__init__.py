"""The hosted site's Pagefind index: the pages it reads, its shards, its files in one order."""
