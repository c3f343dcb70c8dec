"""incremental stage."""
