"""`make faults`: faults injected under a steady flow of registrations, and what they cost
(bench/README.md, "Faults"). Run as `PYTHONPATH=bench .venv/bin/python -m faults`."""
