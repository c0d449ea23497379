"""OWL reasoning with HermiT -> inferred statements."""
