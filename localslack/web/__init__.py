"""The local workspace in a browser (see localslack.web.server)."""

from localslack.web.server import WebUI

__all__ = ["WebUI"]
