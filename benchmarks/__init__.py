"""``make bench``: ours against peers and best-known results, printed as tables."""
