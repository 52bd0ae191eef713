"""Canonical URLs: the same page reached through a newsletter, a share button or a feed is one URL.

Tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``yclid``, ``mc_cid``, ...) and the
fragment are removed, scheme and host are lowercased, a default port is dropped and an empty path
becomes ``/``. Every other query parameter is kept as written, in its order.
"""

from __future__ import annotations

from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bot.normalize.text import storable

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "yclid", "ysclid", "msclkid",
        "twclid", "ttclid", "igshid", "li_fat_id", "mc_cid", "mc_eid", "mkt_tok", "_hsenc",
        "_hsmi", "__hssc", "__hstc", "__hsfp", "hsctatracking", "_ga", "_gl", "oly_anon_id",
        "oly_enc_id", "rb_clickid", "s_cid", "vero_conv", "vero_id", "wickedid", "srsltid",
        "_openstat", "cmpid", "ncid", "ocid", "sr_share", "at_medium", "at_campaign",
        "pk_campaign", "pk_kwd", "pk_source", "pk_medium", "pk_content", "hmb_campaign",
        "hmb_medium", "hmb_source",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str, *, base: str | None = None) -> str | None:
    """The canonical form of an http(s) ``url`` (resolved against ``base`` when relative), or
    None when it is not an absolute http(s) URL with a host."""
    url = storable(url).strip()
    if not url:
        return None
    try:
        if base:
            url = urljoin(base.strip(), url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.netloc:
            return None
        netloc = _canonical_netloc(parts.netloc, scheme)
    except ValueError:
        return None
    if not netloc:
        return None
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def is_tracking_parameter(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def _is_tracking(pair: str) -> bool:
    name = unquote(pair.partition("=")[0]).strip()
    return is_tracking_parameter(name)


def _canonical_netloc(netloc: str, scheme: str) -> str:
    userinfo, at, hostport = netloc.rpartition("@")
    if hostport.startswith("["):  # IPv6 literal
        host, _, rest = hostport.partition("]")
        host += "]"
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = hostport.partition(":")
    host = host.lower().rstrip(".")
    if not host:
        return ""
    if port.isdigit() and int(port) == _DEFAULT_PORTS[scheme]:
        port = ""
    hostport = f"{host}:{port}" if port else host
    return f"{userinfo}{at}{hostport}"
