"""The network view (networkx) and the offline HTML page that shows it."""
