from .article import Article
from .audit import AuditEvent
from .claim import Claim, ClaimIntermediary, ClaimLink, Figure, Review
from .evidence import Evidence
from .job import Job, LinkCheck, Snapshot
from .source import Source
from .suggestion import ClaimSuggestion, Export, LinkProposal
from .workspace import Membership, Workspace

__all__ = [
    "Article",
    "AuditEvent",
    "Claim",
    "ClaimIntermediary",
    "ClaimLink",
    "ClaimSuggestion",
    "Evidence",
    "Export",
    "Figure",
    "Job",
    "LinkCheck",
    "LinkProposal",
    "Membership",
    "Review",
    "Snapshot",
    "Source",
    "Workspace",
]
