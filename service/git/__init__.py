"""git over smart HTTP: who may reach which repository, clone and fetch through
``git http-backend``, pushes to drafts checked and recorded through the same use cases
as the REST API, and repository upkeep."""
