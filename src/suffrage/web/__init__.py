"""The election server: FastAPI routes over :class:`suffrage.service.online.OnlineElection`."""

from suffrage.web.app import create_app

__all__ = ["create_app"]
