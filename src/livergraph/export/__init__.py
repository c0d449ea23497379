"""Writing the published graph in other formats and pushing it to a triple store."""
