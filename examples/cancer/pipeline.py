# The pipeline of MLRun's page "Working with data and model artifacts", in Python, with only the import changed.
# Run it with either of (from this folder):
#   lode run pipeline.py                                      # recorded as a run whose children are its steps
#   PYTHONPATH="$(lode python-path)" python3 pipeline.py      # a plain script; the steps are recorded all the same
import os

import lode  # was: import mlrun

# The project is this folder (its lode.yaml), wherever the script is started from.
project = lode.get_or_create_project("cancer", context=os.path.dirname(os.path.abspath(__file__)))

# Ingest data
ingest = project.run_function(
    "hub://load_dataset",
    params={"name": "breast_cancer"},
    outputs=["dataset"],
)

# Train a model using the auto_trainer hub function
train = project.run_function(
    "hub://auto_trainer",
    inputs={"dataset": ingest.outputs["dataset"]},
    params={
        "model_class": "sklearn.ensemble.RandomForestClassifier",
        "train_test_split_size": 0.2,
        "label_columns": "label",
        "model_name": "cancer",
    },
    handler="train",
    outputs=["model"],
)

# Get trained model
model = train.outputs["model"]

# Evaluate it on the rows held out for testing
evaluate = project.run_function(
    "hub://auto_trainer",
    handler="evaluate",
    inputs={"model": model, "dataset": train.outputs["test_set"]},
    params={"label_columns": "label"},
    outputs=["accuracy"],
)

print(f"accuracy  {evaluate.outputs['accuracy']}")
print(f"model     {model}")
