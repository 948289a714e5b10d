"""What a build reuses and how it writes: fingerprints, keys, memos, the lock, the publish transaction."""
