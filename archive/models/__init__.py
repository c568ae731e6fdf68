from .link_check import LinkCheck
from .snapshot import Snapshot

__all__ = ["LinkCheck", "Snapshot"]
