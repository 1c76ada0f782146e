"""serve: the REST API (FastAPI, OpenAPI at /docs) and the web page over a parley store.

    from parley.serve import create_app
    app = create_app("parley.db")         # or `parley serve --db parley.db`

``api.py`` builds the app and the JSON routes; ``pages.py`` the server-rendered pages;
``queries.py`` the read-only queries beyond the store's own; ``highlight.py`` marks a record's
spans in its text; ``middleware.py`` the body limit, security headers and empty form fields; ``bench.py`` is
`parley bench serve`. Assets (CSS, JS, the vendored Swagger UI) are in ``static/``.
"""
from .api import create_app

__all__ = ["create_app"]
