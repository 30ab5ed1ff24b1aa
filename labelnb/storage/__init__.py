"""fsspec sources and targets; media resolution for the widget."""
