"""What the review desk does, whoever asks (a page, the API, a command): intake, starting
inspections, decisions, mailed materials, assignment, reprocessing, masking, users. No
blueprints, requests or click here; settings come from the app context (`config.current`)."""
