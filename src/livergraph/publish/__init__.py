"""The one published artifact: Turtle, an Oxigraph store, the report and a manifest."""
