"""Synthetic demo visits, generated from the checklists' own rules."""
