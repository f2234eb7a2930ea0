"""Models of the enterprise registry; see the modules for each part."""

from .claim import ClaimState, EnterpriseClaim
from .enterprise import (
    Case,
    Contact,
    Enterprise,
    EnterpriseGroupGrant,
    EnterpriseUserGrant,
    Ownership,
    Patent,
    Product,
    Qualification,
    Source,
    StaffSize,
    Status,
    Technology,
)
from .recommendation import Recommendation
from .reference import Industry, QualificationType, Region
from .version import EnterpriseVersion, VersionState

__all__ = [
    "Case",
    "ClaimState",
    "Contact",
    "Enterprise",
    "EnterpriseClaim",
    "EnterpriseGroupGrant",
    "EnterpriseUserGrant",
    "EnterpriseVersion",
    "Industry",
    "Ownership",
    "Patent",
    "Product",
    "Qualification",
    "QualificationType",
    "Recommendation",
    "Region",
    "Source",
    "StaffSize",
    "Status",
    "Technology",
    "VersionState",
]
