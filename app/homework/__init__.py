"""Homework: assignments between sessions, completions with reflections, feedback threads."""
