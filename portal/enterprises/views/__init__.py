"""Pages of the enterprise registry: the owner's wizard and dashboard, the directory."""
