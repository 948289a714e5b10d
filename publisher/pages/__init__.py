"""Every page of site_src/ as Markdown, and every path and public URL they live at."""
