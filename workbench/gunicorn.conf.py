"""gunicorn settings for production: `gunicorn -c workbench/gunicorn.conf.py workbench.wsgi`.

Threaded workers (gthread): a request that waits on the database or streams a
large export holds one thread, not a whole process, so a few slow requests
cannot starve the rest. Each thread keeps its own database connection
(DB_CONN_MAX_AGE), so PostgreSQL sees up to workers x threads connections.
Every setting can be changed from the environment.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request running longer than this is killed with its worker (streamed
# exports of 100,000 claims take well under it; PDF reports are jobs).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Longer than a client (or a load balancer, often 60 s) keeps an idle connection:
# otherwise the server may close one just as the client sends on it.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "65"))
# Recycle workers now and then (a leak, should one appear, stays bounded).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
