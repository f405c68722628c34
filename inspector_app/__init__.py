"""inspector_app: offline inspection checklists and trafficking-signal recording for municipalities."""

__version__ = "0.1.0"
