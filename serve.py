"""ServiceGap as served: the app (``app.py`` and ``pages/``) behind ``ui.guard``, which protects
Streamlit's own endpoints (downloads, uploads, metrics, framing, Host). ``make run`` starts this;
so should a deployment: ``streamlit run serve.py``.

BLAS runs one thread per process (unless the environment says otherwise): a server's parallelism is its
sessions, and on the small matrices of a click (a driver model's bootstrap) a second BLAS thread only spins,
doubling the click's CPU (BENCHMARKS.md). OpenBLAS reads this when numpy is first imported: before any import.
X-Forwarded-For is believed only from the proxies an operator names (``FORWARDED_ALLOW_IPS``): the password
limiter counts tries per client address.
An upload is held in memory, never spooled to a temporary file on disk, however the server is started
(Starlette spools a multipart body above 1 MiB to ``$TMPDIR``): the uploaded data is the user's.

In detail: what `make run` and a server start: `st.App("app.py")` with `ui.guard.Guard` as middleware; BLAS on one
thread; uploads held in memory (Starlette's spool threshold above the upload cap); `X-Forwarded-For` believed only
from the proxies the operator names in `FORWARDED_ALLOW_IPS` (the password limiter counts per client address).
"""

import os

for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")
# Uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, so any client on this machine (or a
# proxy that passes the header through) could name a new address per password try and get its free tries
# again. No address is trusted to speak for another unless the operator names the proxy's.
os.environ.setdefault("FORWARDED_ALLOW_IPS", "")

import streamlit as st  # noqa: E402
from starlette.formparsers import MultiPartParser  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from ui.guard import Guard  # noqa: E402
from ui.owners import UPLOAD_LIMITS  # noqa: E402

# Streamlit refuses a body above its maxUploadSize (200 MB, .streamlit/config.toml) before parsing; one
# upload below it fits in memory, and the guard's per-session budget bounds how many are held at once.
MultiPartParser.spool_max_size = UPLOAD_LIMITS.max_file_bytes + 1024**2

app = st.App("app.py", middleware=[Middleware(Guard)])
