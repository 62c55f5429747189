"""`python -m reviewer.cli`: how `reviewer run` starts its workers."""
from reviewer.cli import main

main()
