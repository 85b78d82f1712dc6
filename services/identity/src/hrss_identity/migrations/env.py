from hrss_identity.adapters.orm import metadata
from hrss_kit.migrate import run_migrations

run_migrations(metadata)
