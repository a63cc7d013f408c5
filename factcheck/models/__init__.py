"""All models, imported here so Alembic and the app see one complete metadata."""
from factcheck.models.article import Article, ArticleStatus, Revision
from factcheck.models.audit import GENESIS_HASH, AuditEvent
from factcheck.models.base import Base, utcnow
from factcheck.models.claim import PRIORITY_RANK, Claim, ClaimStatus, Evidence, Note, Priority, Resolution, Stance
from factcheck.models.user import Role, User, UserRole

__all__ = [
    "Article", "ArticleStatus", "AuditEvent", "Base", "Claim", "ClaimStatus", "Evidence", "GENESIS_HASH",
    "Note", "PRIORITY_RANK", "Priority", "Resolution", "Revision", "Role", "Stance", "User", "UserRole", "utcnow",
]
