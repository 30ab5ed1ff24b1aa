"""labelnb."""
