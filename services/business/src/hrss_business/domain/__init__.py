"""Business items, their guides and materials: pure Python, no infrastructure."""
