"""The Web API methods LocalSlack answers; importing this package registers them all."""

from localslack.api import chat, directory, files, views
from localslack.api.registry import METHODS, ApiError, Args

__all__ = ["METHODS", "ApiError", "Args", "chat", "directory", "files", "views"]
