"""Draft auto-save: a user's working copy of a draft version, saved every few seconds to
Redis or the database, restored, discarded or committed; and what keeps the two stores
in step (the write-behind, durability, the end of drafts at publish)."""
