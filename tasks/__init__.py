"""Background work on Huey: reconciliation now; migrations, archival, draft upkeep later."""
