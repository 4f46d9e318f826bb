import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
django_application = get_wsgi_application()

from danvan.config import fastpath  # noqa: E402  (after Django is set up)
from danvan.onestop.fast import public_lookup  # noqa: E402

fastpath.route("/api/v1/public/dossiers/", public_lookup)
application = fastpath.wrap(django_application)
