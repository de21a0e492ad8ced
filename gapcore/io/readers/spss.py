"""SPSS .sav and .zsav files, read by pyreadstat in a child process (a malformed file cannot take the
server down), with their variable labels as question texts and value labels kept.
"""

from __future__ import annotations

import pickle
import subprocess
import sys

from gapcore.errors import GapcoreError
from gapcore.io.readers.raw import RawTable

# Runs in a child interpreter: ReadStat (C) can crash on a damaged file. Bytes come in on stdin and
# the parsed frame goes back pickled on stdout; nothing touches the disk.
_SAV_CHILD = """
import io, pickle, sys
import pyreadstat
data = sys.stdin.buffer.read()
try:
    frame, meta = pyreadstat.read_sav(io.BytesIO(data), user_missing=False)
except Exception as exc:
    pickle.dump(("error", str(exc)[:200]), sys.stdout.buffer)
    sys.exit(0)
labels = {col: {float(k): str(v) for k, v in meta.variable_value_labels.get(col, {}).items()}
          for col in frame.columns if meta.variable_value_labels.get(col)}
texts = {c: l for c, l in zip(meta.column_names, meta.column_labels or []) if l}
pickle.dump(("ok", (frame, labels, texts, meta.file_encoding)), sys.stdout.buffer)
"""


def read_sav(data: bytes, file: str, *, timeout: float = 300) -> RawTable:
    """An SPSS ``.sav``/``.zsav``: numeric codes kept, value and variable labels carried alongside.

    Parsed in a separate interpreter (bytes through a pipe, never a file), so a file that crashes the
    C reader costs one child process and becomes a message instead of taking the server down.
    """
    try:
        child = subprocess.run([sys.executable, "-c", _SAV_CHILD], input=data, capture_output=True,
                               timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GapcoreError("sav_unreadable", file=file, detail="reading took too long") from exc
    if child.returncode != 0 or not child.stdout:
        raise GapcoreError("sav_unreadable", file=file, detail="the SPSS reader stopped on this file")
    status, payload = pickle.loads(child.stdout)  # our own child's output, never user bytes
    if status != "ok":
        raise GapcoreError("sav_unreadable", file=file, detail=payload)
    frame, value_labels, texts, encoding = payload
    return RawTable(file, None, frame, 1, encoding, None, texts, value_labels)
