"""Clerks, grants and the enterprises they belong to: pure Python, no infrastructure."""
