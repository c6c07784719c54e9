"""Finding what may answer: passages, figures and cells gathered, and each candidate scored against the question."""
