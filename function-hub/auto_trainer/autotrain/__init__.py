"""auto_trainer's parts: estimators (model_class and its params), frames (columns and split), scoring (metrics and
plots), models (the logged pickle)."""
