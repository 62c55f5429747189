"""The `reviewer` console script: Flask's CLI with the back-office's commands."""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup, routes_command, shell_command


class SettingsError(click.ClickException):
    """A bad setting: one line naming it and what would work, exit status 2."""

    exit_code = 2


def cli_app(config=None):
    """The web app with the back-office's commands on it (the web app alone has none)."""
    from reviewer.cli.commands import register
    from reviewer.web import create_app

    app = create_app(config)
    register(app)
    return app


def _create_app():
    from config import ConfigError

    try:
        return cli_app()
    except ConfigError as exc:
        raise SettingsError(str(exc)) from None


cli = FlaskGroup(name="reviewer", create_app=_create_app, add_default_commands=False,
                 add_version_option=False, load_dotenv=False,
                 help="ICP filing preliminary review (初审) back-office.")
cli.add_command(routes_command)
cli.add_command(shell_command)


def main() -> None:
    sys.exit(cli.main(prog_name="reviewer"))
