"""Validation of a release with Great Expectations, every expectation derived from the table contracts.

``validate_release`` imports great_expectations lazily (the import takes seconds), so importing this
package stays cheap.
"""

from tradecurbs.validation.plan import EXTRA_JURISDICTIONS, build_plan, jurisdiction_codes
from tradecurbs.validation.runner import ValidationOutcome, validate_release

__all__ = ["EXTRA_JURISDICTIONS", "ValidationOutcome", "build_plan", "jurisdiction_codes", "validate_release"]
