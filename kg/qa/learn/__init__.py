"""Learning from analysts: their verdicts on answers kept as labelled examples."""
