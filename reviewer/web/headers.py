"""The security headers on the desk's own pages (desk, supervision, admin, log-in and the
front door `/`). The API answers machines and sets its own; rq-dashboard's pages get
their own policy with a script nonce (admin/rq_pages.py). `create_app` registers them."""
from __future__ import annotations

from flask import Flask, request

# Scripts only from our own static folder; inline styles are allowed for the charts.
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
OWN_BLUEPRINTS = ("desk", "supervision", "admin", "auth")


def add_security_headers(response):
    if request.blueprint in OWN_BLUEPRINTS or request.endpoint == "index":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")  # pages hold personal data
    return response


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
