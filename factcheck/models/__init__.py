"""All models, imported here so Alembic and the app see one complete metadata."""
from factcheck.models.api_token import ApiToken
from factcheck.models.article import Article, ArticleStatus, Revision
from factcheck.models.audit import GENESIS_HASH, HASH_ALG_KEYED, HASH_ALG_LEGACY, AuditEvent
from factcheck.models.base import Base, utcnow
from factcheck.models.claim import (
    PRIORITY_RANK,
    AttributionVerdict,
    Claim,
    ClaimStatus,
    Credibility,
    Evidence,
    Note,
    Priority,
    Question,
    Resolution,
    Stance,
)
from factcheck.models.idempotency import IdempotencyKey
from factcheck.models.job import Job, JobOutput
from factcheck.models.mail import OutgoingEmail
from factcheck.models.notification import Notification
from factcheck.models.presence import ClaimPresence
from factcheck.models.reminder import DueReminder
from factcheck.models.running_count import RunningCount
from factcheck.models.user import Role, User, UserRole, UserSession
from factcheck.models.webhook import Webhook, WebhookDelivery

__all__ = [
    "GENESIS_HASH",
    "HASH_ALG_KEYED",
    "HASH_ALG_LEGACY",
    "PRIORITY_RANK",
    "ApiToken",
    "Article",
    "ArticleStatus",
    "AttributionVerdict",
    "AuditEvent",
    "Base",
    "Claim",
    "ClaimPresence",
    "ClaimStatus",
    "Credibility",
    "DueReminder",
    "Evidence",
    "IdempotencyKey",
    "Job",
    "JobOutput",
    "Note",
    "Notification",
    "OutgoingEmail",
    "Priority",
    "Question",
    "Resolution",
    "Revision",
    "Role",
    "RunningCount",
    "Stance",
    "User",
    "UserRole",
    "UserSession",
    "Webhook",
    "WebhookDelivery",
    "utcnow",
]
