"""Who may do what: the one permission table (``permissions``) and the sign-in wiring (``login``)."""
from factcheck.security.permissions import PERMISSIONS, Action, can, require

__all__ = ["PERMISSIONS", "Action", "can", "require"]
