"""Reading the login form's CSRF field, the page's CSRF meta tag and the session cookie."""

from __future__ import annotations

import os

import httpx
import pytest

from bench import server


def test_the_hidden_csrf_field_is_read_whatever_the_attribute_order_and_escaping() -> None:
    html = (
        '<form><input value="a&amp;b" type="hidden" name="csrf_token"><input name="email"></form>'
    )
    assert server.hidden_csrf(html) == "a&b"


def test_the_meta_csrf_token_is_read_from_the_page_head() -> None:
    html = '<head><meta charset="utf-8"><meta name="csrf-token" content="tok-123"></head>'
    assert server.meta_csrf(html) == "tok-123"


def test_a_page_without_a_token_says_what_is_missing() -> None:
    with pytest.raises(ValueError, match="csrf-token meta tag"):
        server.meta_csrf("<html></html>")


def test_the_session_cookie_is_read_even_when_secure() -> None:
    resp = httpx.Response(
        303,
        headers=[
            ("set-cookie", "gw_anon_csrf=x; Path=/; HttpOnly"),
            ("set-cookie", "gw_session=s3cr3t; Path=/; HttpOnly; Secure; SameSite=Lax"),
        ],
    )
    assert server._session_cookie(resp) == "s3cr3t"


def test_writes_carry_the_csrf_token_origin_and_fetch_site_and_reads_only_the_cookie() -> None:
    login = server.Login(cookie="c", csrf_token="t", landing="/today")
    assert login.headers("http://h", write=False) == {"Cookie": "gw_session=c"}
    assert login.headers("http://h", write=True) == {
        "Cookie": "gw_session=c",
        "X-CSRF-Token": "t",
        "Origin": "http://h",
        "Sec-Fetch-Site": "same-origin",
    }


def test_server_cpu_time_is_read_from_proc_and_only_grows() -> None:
    me = server.Server(base="http://h", pid=os.getpid())
    first = me.cpu_seconds()
    sum(i * i for i in range(300_000))  # burn a little CPU
    assert me.cpu_seconds() >= first > 0
