"""The `reviewer` console script: Flask's CLI with the back-office's commands."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup, routes_command, shell_command


class SettingsError(click.ClickException):
    """A bad setting: one line naming it and what would work, exit status 2."""

    exit_code = 2


def _create_app():
    from config import ConfigError
    from reviewer import create_app

    try:
        return create_app()
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None


cli = FlaskGroup(name="reviewer", create_app=_create_app, add_default_commands=False,
                 add_version_option=False, load_dotenv=False,
                 help="ICP filing preliminary review (初审) back-office.")
cli.add_command(routes_command)
cli.add_command(shell_command)


def main() -> None:
    sys.exit(cli.main(prog_name="reviewer"))


if __name__ == "__main__":  # `python -m reviewer.cli`: how `reviewer run` starts its workers
    main()
