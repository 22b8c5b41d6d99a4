"""BCCI Dispatch planner: orders and geography in, routes and route sheets out."""
