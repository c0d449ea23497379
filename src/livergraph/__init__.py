"""livergraph: a knowledge graph of stem-cell therapy trials for liver cirrhosis."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("livergraph")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"
