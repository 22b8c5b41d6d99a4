"""API shapes (pydantic): requests and responses, kept apart from tables and planner types."""
