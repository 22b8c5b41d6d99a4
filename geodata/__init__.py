"""Geography for the planner: boundaries, sites, road networks, travel-time matrices.

Knows nothing of orders or solvers; ``planner`` imports it, never the reverse.
"""
