"""SHACL shapes -> a validation report; the scaled engine beside the pySHACL reference."""
