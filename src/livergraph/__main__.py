from livergraph.cli import main

main()
