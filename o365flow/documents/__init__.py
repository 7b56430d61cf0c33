"""Word documents: reading referral forms and rendering the board's templates."""

from .referral import REFERRAL_LABELS, fill_referral_form, read_referral_fields
from .render import render_docx, template_variables

__all__ = [
    "REFERRAL_LABELS",
    "fill_referral_form",
    "read_referral_fields",
    "render_docx",
    "template_variables",
]
