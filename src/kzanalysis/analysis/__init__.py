"""Chapter analyses: tested functions that the notebooks call and narrate."""
