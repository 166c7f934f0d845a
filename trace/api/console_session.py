"""The console's plumbing: the staff session cookie, CSRF checks, HTML error pages, templates.

Routes stay thin: they ask for ``Staff`` (a signed-in member and their CSRF token) or
``StaffForm`` (the same, for a POST whose CSRF token was checked) and render a template.
Errors from services become HTML pages with the status the API would use (404 for another
brand's recall, 403 for a role that may not act); a missing session redirects to the login.
Every page is rendered in the reader's language (:mod:`trace.api.console_i18n`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape

from consumer_site.pages import page_language
from trace.api.console_i18n import Words
from trace.api.deps import RuntimeDep
from trace.api.problems import status_for
from trace.domain.access import Permission
from trace.errors import AuthenticationError, PermissionDenied, TraceError
from trace.services import staff
from trace.services.staff import StaffMember

SESSION_COOKIE = "tm_console"
LOGIN_COOKIE = "tm_console_login"  # a random nonce binding the login form's CSRF token
Text = Annotated[str, Form(max_length=500)]
"""A form field as the console accepts it (bounded; services validate the content)."""
ENV = Environment(loader=PackageLoader("trace.api", "console_templates"), autoescape=select_autoescape(["html"]))


class NotSignedIn(Exception):
    """No valid session: the console answers with a redirect to the login page."""


@dataclass(frozen=True, slots=True)
class Console:
    member: StaffMember
    csrf: str

    def require(self, permission: Permission) -> None:
        if not self.member.principal().can(permission):
            raise PermissionDenied(f"forbidden: role {self.member.role.value} may not "
                                   f"{permission.value.replace('_', ' ')}")

    @property
    def is_admin(self) -> bool:
        return self.member.principal().can(Permission.MANAGE_BRANDS)

    def can(self, permission: str) -> bool:
        """For templates: may this member do ``permission`` (a :class:`Permission` value)?"""
        return self.member.principal().can(Permission(permission))


def render(request: Request, template: str, *, http_status: int = 200, console: Console | None = None,
           **context: Any) -> HTMLResponse:
    """The page in the reader's language (Accept-Language, or ``?lang=en|zh``, as on the consumer pages)."""
    words = Words(page_language(request.query_params.get("lang"), request.headers.get("accept-language")))
    html = ENV.get_template(template).render(request=request, console=console, t=words, name_of=words.state,
                                             html_lang=words.html_lang, **context)
    return HTMLResponse(html, status_code=http_status, headers={"Cache-Control": "no-store",
                                                                "Content-Language": words.html_lang,
                                                                "Vary": "Accept-Language"})


class ConsoleRoute(APIRoute):
    """Service errors become HTML pages; a missing session becomes a redirect to the login."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except NotSignedIn:
                return RedirectResponse("/console/login", status_code=303)
            except TraceError as exc:
                status = status_for(exc)
                message = str(exc) if status < 500 else "internal error; the server log has the details"
                return render(request, "error.html", http_status=status, status_code=status, message=message)

        return handler


def secret(runtime: RuntimeDep) -> bytes:
    return runtime.settings.secret_key_bytes()


def console(request: Request, runtime: RuntimeDep) -> Console:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotSignedIn
    key = secret(runtime)
    try:
        member = staff.session_user(runtime.db, key, cookie, now=time.time())
    except AuthenticationError:
        raise NotSignedIn from None
    return Console(member=member, csrf=staff.csrf_token(key, cookie))


Staff = Annotated[Console, Depends(console)]


async def checked_console(request: Request, signed_in: Staff, runtime: RuntimeDep) -> Console:
    """The signed-in console for a POST, after checking the form's CSRF token (403 otherwise)."""
    form = await request.form()
    token = form.get("csrf")
    if not staff.csrf_ok(secret(runtime), request.cookies[SESSION_COOKIE], token if isinstance(token, str) else None):
        raise PermissionDenied("forbidden: missing or wrong CSRF token; reload the page and try again")
    return signed_in


StaffForm = Annotated[Console, Depends(checked_console)]


def set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", path="/console",
                        secure=request.url.scheme == "https")
