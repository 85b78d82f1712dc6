from hrss_business.adapters.orm import metadata
from hrss_kit.migrate import run_migrations

run_migrations(metadata)
