"""The `reviewer` console script: Flask's CLI with the back-office's commands."""
from __future__ import annotations

import sys

from flask.cli import FlaskGroup, routes_command, shell_command


def _create_app():
    from reviewer import create_app

    return create_app()


cli = FlaskGroup(name="reviewer", create_app=_create_app, add_default_commands=False,
                 add_version_option=False, load_dotenv=False,
                 help="ICP filing preliminary review (初审) back-office.")
cli.add_command(routes_command)
cli.add_command(shell_command)


def main() -> None:
    sys.exit(cli.main(prog_name="reviewer"))


if __name__ == "__main__":  # `python -m reviewer.cli`: how `reviewer run` starts its workers
    main()
