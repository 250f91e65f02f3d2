"""Auto-logging for ML frameworks (MLRun's mlrun.frameworks): lode.frameworks.sklearn.apply_mlrun."""
