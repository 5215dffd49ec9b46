"""From configuration to frozen, validated specs: the Hydra schema (dataclasses), composition of
the config tree and scenario overlays, the shared checks, and the specs of network, demand,
policy, strategy, experiment and disruptions.

Nothing inward of this layer sees a ``DictConfig`` or a raw mapping. May import :mod:`sim.core`.
"""
