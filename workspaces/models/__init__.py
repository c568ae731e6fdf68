from .membership import Membership
from .workspace import Workspace

__all__ = ["Membership", "Workspace"]
