"""The service for dispatchers and couriers (FastAPI). Reads plans; never feeds planner."""
