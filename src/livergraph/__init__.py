"""livergraph: a knowledge graph of stem-cell therapy trials for liver cirrhosis.

The version lives in pyproject.toml only; ``livergraph.__version__`` reads the installed
package's metadata on first use (importing importlib.metadata costs every command ~30 ms)."""


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version
        try:
            return version("livergraph")
        except PackageNotFoundError:  # running from a source tree that was not installed
            return "0+unknown"
    raise AttributeError(f"module 'livergraph' has no attribute {name!r}")
