"""Programs that use wfv from the outside, as its users would (the reference engine)."""
