"""How far annotators agree: per task (the task table's share of shared items) and per control, chance
corrected (Cohen's and Fleiss' kappa, Krippendorff's alpha) or by matching regions and spans (IoU, F1).

>>> pairs, overall = agreement_frame(annotations, project.config)   # doctest: +SKIP

Modules: :mod:`.inputs` (reading and checking annotations), :mod:`.categorical` (kappa, alpha),
:mod:`.geometry` (box and polygon IoU), :mod:`.matching` (one-to-one matching, F1), :mod:`.frame` (the
tables), :mod:`.jaccard` (the per-task measure).
"""

from .categorical import cohen_kappa, fleiss_kappa, krippendorff_alpha
from .frame import MEASURES, AgreementReport, agreement_frame
from .geometry import polygon_iou
from .inputs import AgreementInputError, annotations_from_tasks
from .jaccard import task_agreement

__all__ = [
    "MEASURES",
    "AgreementInputError",
    "AgreementReport",
    "agreement_frame",
    "annotations_from_tasks",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "polygon_iou",
    "task_agreement",
]
