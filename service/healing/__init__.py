"""Git and the index kept in agreement: healing an index that is behind git
(``reconcile``, ``reindex``), refusing refs moved by hand (``ref_guard``, ``ref_sweep``),
the consistency check (``wfv check``), and the repository's own copy of its name and
deletion."""
