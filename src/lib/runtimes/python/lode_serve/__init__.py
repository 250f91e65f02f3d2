"""lode's model-serving worker: loads one pickled model and answers predictions over a line protocol."""
