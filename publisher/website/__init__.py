"""The website: MkDocs makes it from site_src/ with these hooks and plugins; the live preview."""
