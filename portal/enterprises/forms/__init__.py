"""Forms of the enterprise sign-up wizard, one module per step.

Each step's form turns posted fields into the snapshot shape of ``snapshots`` (the working copy
stores exactly that), so that a step is validated whole before anything is written.
"""

from .basics import CompanyForm
from .items import CaseFormSet, ContactFormSet, PatentFormSet, ProductFormSet, TechnologyFormSet
from .qualifications import QualificationFormSet

__all__ = [
    "CaseFormSet",
    "CompanyForm",
    "ContactFormSet",
    "PatentFormSet",
    "ProductFormSet",
    "QualificationFormSet",
    "TechnologyFormSet",
]
