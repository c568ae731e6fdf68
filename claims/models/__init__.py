from .article import Article
from .audit import AuditEvent
from .claim import Claim, ClaimIntermediary, Figure
from .source import Source
from .workspace import Membership, Workspace

__all__ = [
    "Article",
    "AuditEvent",
    "Claim",
    "ClaimIntermediary",
    "Figure",
    "Membership",
    "Source",
    "Workspace",
]
