"""Models in the loop: ML backends (in the kernel and over HTTP) and their predictions.

Every backend is an :class:`MLBackend` (Label Studio's ML backend API: ``predict``, ``fit``, ``setup``):
:class:`CallableBackend` wraps a function, :class:`EstimatorBackend` a scikit-learn classifier, and
:class:`LabelStudioMLBackend` talks to a ``label-studio-ml`` server. :meth:`labelnb.Project.predict`
runs one over tasks and stores what it predicts; :meth:`labelnb.Project.connect` sends it each
annotation as it is submitted. :mod:`labelnb.learn.loop` retrains a classifier as labels come in
(``Project.learn``); :mod:`labelnb.learn.assist` and :mod:`labelnb.learn.interactive` answer the widget's
smart tools (``Project.annotate(assist=...)``).
"""

from .backends import TRAIN_EVENTS, BackendError, CallableBackend, MLBackend, as_backend
from .connect import BackendConnection
from .estimator import EstimatorBackend, training_labels
from .labelstudio import LabelStudioMLBackend, Timeouts
from .run import ProjectRef, collect_predictions

__all__ = [
    "TRAIN_EVENTS",
    "BackendConnection",
    "BackendError",
    "CallableBackend",
    "EstimatorBackend",
    "LabelStudioMLBackend",
    "MLBackend",
    "ProjectRef",
    "Timeouts",
    "as_backend",
    "collect_predictions",
    "training_labels",
]
