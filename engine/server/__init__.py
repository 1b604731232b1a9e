"""`regelwerk serve`: JSON API, German decision forms and the published rulebook (FastAPI + uvicorn)."""
