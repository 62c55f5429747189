"""The ICP filing review desk, in three wings that import one way (web and cli -> services):

- `reviewer.web`: the Flask app factory and blueprints (log-in, intake API, desk,
  supervision, administration);
- `reviewer.services`: what the desk does, whoever asks (intake, starting inspections,
  decisions, mail, reprocessing, masking, users);
- `reviewer.cli`: the `reviewer` command line (run, worker, sweep, intake, maintenance, demo).
"""
