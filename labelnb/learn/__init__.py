"""Models in the loop: interactive assistance (``interactive``, ``assist``) and, later, scoring and ML
backends."""
