"""The configuration boundary: Hydra schema, composition, and nothing inward of it."""
