"""The model stage: validated records plus the indexes every channel reads.

A `Catalogue` is built once per run from records that passed validation.
Renderers and exporters read it and never touch YAML, so the website, the
WeChat article and the magazine all see the same facts in the same order.
"""

from generator.catalogue.catalogue import Catalogue, Entry, MechanismUse

__all__ = ["Catalogue", "Entry", "MechanismUse"]
