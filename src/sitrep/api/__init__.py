"""The REST API over a store (FastAPI): see docs/api.md for the endpoints and the error envelope."""

from sitrep.api.app import create_app

__all__ = ["create_app"]
