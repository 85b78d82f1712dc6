"""The business service: the catalogue of business items (办事中心) and their handling guides."""
