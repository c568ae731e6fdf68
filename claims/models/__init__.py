from .article import Article
from .claim import Claim
from .evidence import Evidence
from .figure import Figure
from .intermediary import ClaimIntermediary
from .link import ClaimLink
from .review import Review
from .source import Source
from .source_proposal import SourceChangeProposal

__all__ = [
    "Article",
    "Claim",
    "ClaimIntermediary",
    "ClaimLink",
    "Evidence",
    "Figure",
    "Review",
    "Source",
    "SourceChangeProposal",
]
