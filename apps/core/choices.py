"""Vocabularies shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KMStep(models.TextChoices):
    """The seven-step KM process (กระบวนการจัดการความรู้ 7 ขั้นตอน)."""

    IDENTIFY = "identify", _("Knowledge identification")
    CREATE = "create", _("Knowledge creation and acquisition")
    ORGANIZE = "organize", _("Knowledge organization")
    CODIFY = "codify", _("Knowledge codification and refinement")
    ACCESS = "access", _("Knowledge access")
    SHARE = "share", _("Knowledge sharing and exchange")
    LEARN = "learn", _("Learning")

    @property
    def number(self) -> int:
        return list(type(self)).index(self) + 1


KM_STEP_DESCRIPTIONS = {
    KMStep.IDENTIFY: _(
        "Find out what the office needs to know for its vision and mission, what it already "
        "knows, in what form, and who holds it."
    ),
    KMStep.CREATE: _(
        "Create new knowledge, bring in knowledge from outside experts, keep what is still "
        "useful and retire what is obsolete."
    ),
    KMStep.ORGANIZE: _(
        "Give knowledge a structure (categories, types, tags) for systematic storage."
    ),
    KMStep.CODIFY: _(
        "Put knowledge into standard forms and one terminology, complete it and review it "
        "before it is published."
    ),
    KMStep.ACCESS: _(
        "Make knowledge easy to reach: training, circulars, the website and the web board."
    ),
    KMStep.SHARE: _(
        "Exchange knowledge through documents and the intranet, and through communities of "
        "practice, mentoring, job rotation and forums."
    ),
    KMStep.LEARN: _(
        "Apply knowledge at work, innovate and create new knowledge, which starts the cycle again."
    ),
}
