"""What the self-contained HTML pages of Ripple share: the inline stylesheet, escaping, and
figures saved as PNG whose bytes the page embeds (nothing is fetched)."""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from matplotlib.figure import Figure

DPI = 110  # of the saved and embedded figures

# The stylesheet inlined in the head of every report page.
CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1150px;
margin:2em auto;padding:0 1em;color:#1d2433;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.1em}h2{font-size:1.2em;margin-top:1.8em;border-bottom:1px
solid #ddd;padding-bottom:.2em}h3{font-size:1.02em;margin:1.2em 0 .3em}
.sub{color:#555;margin-top:0}
table{border-collapse:collapse;font-size:.9em;margin:.6em 0}
td,th{border-bottom:1px solid #e5e5e5;padding:.25em .7em;text-align:right;vertical-align:top}
th{background:#f4f6f8}td:first-child,th:first-child{text-align:left}
td.l,th.l{text-align:left}code{font-size:.92em}
.lead{font-size:1.05em;background:#f4f8fb;border-left:4px solid #1982c4;padding:.6em 1em}
figure{margin:1.4em 0}figcaption{font-size:.88em;color:#444;margin-top:.3em}
img{max-width:100%;border:1px solid #eee}
.facts td{text-align:left}.facts td:first-child{color:#555;white-space:nowrap}
.bar{display:inline-block;height:.8em;background:#457b9d;vertical-align:middle}
.note{font-size:.85em;color:#555}
"""


def esc(x: object) -> str:
    """``x`` as text safe inside HTML (quotes escaped too)."""
    return html.escape(str(x))


def save_png(fig: Figure, path: Path) -> str:
    """Save ``fig`` as PNG at ``path`` (at :data:`DPI`); the same bytes base64-encoded, for an
    ``<img src="data:image/png;base64,...">``."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    data = buf.getvalue()
    path.write_bytes(data)
    return base64.b64encode(data).decode("ascii")
