"""gunicorn settings for Quotetrail (`gunicorn -c config/gunicorn.conf.py config.wsgi`).

Threads share Django's PostgreSQL connection pool; size the pool
(DATABASE_POOL_MAX) at least to workers × threads.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests (a guard against slow leaks). Without
# REDIS_URL each keeps its own cache of derived pages (settings.CACHES["derived"]), which
# a new worker builds again, so replacements are rare: about once a day for a busy worker.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 200_000))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
