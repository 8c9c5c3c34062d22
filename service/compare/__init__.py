"""What changed and who agreed: the comparison of two versions with its breaking changes
and live impact, reviews that gate publishing (mirrored to git notes), and blame for one
step of a workflow."""
