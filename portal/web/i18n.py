"""Locale selection and the language switch, without a session.

The language is `?lang=` on the URL (en or zh), else the plain `lang` cookie set by the switch, else Chinese: the
portal is Chinese by default, whatever language the browser prefers (an office PC with an English Windows still
gets the Chinese portal; a foreign shipping line clicks "English" once and the cookie keeps it a year). The switch is
a GET link (`/lang/en?next=...`) that sets the cookie and goes back: no form, no CSRF token, no session, so an
anonymous page carries no per-visitor state and a proxy may cache it, keyed by the cookie (`Vary: Cookie`; see
README, Deploying behind nginx).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, current_app, redirect, request, url_for
from flask_babel import force_locale, get_locale, gettext, refresh

from portal.extensions import babel
from portal.validation import vocabulary
from portal.web.redirects import local_target

bp = Blueprint("i18n", __name__)

COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
VARY = ("Cookie",)  # what a public page's language is chosen from, besides its URL
# Short names a link or cookie may carry -> the locale.
CHOICES = {"en": "en", "zh": "zh_Hans_CN", "zh_Hans_CN": "zh_Hans_CN", "zh-CN": "zh_Hans_CN"}


def chosen(value: str | None) -> str | None:
    """The locale a `lang` value names, or None."""
    locale = CHOICES.get(value or "")
    return locale if locale in current_app.config["LANGUAGES"] else None


def select_locale() -> str:
    """The request's locale: ?lang=, the lang cookie, else the default (Chinese). Reads no session."""
    return (
        chosen(request.args.get(COOKIE))
        or chosen(request.cookies.get(COOKIE))
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def is_english() -> bool:
    return current_locale().startswith("en")


def term(group: str, key: object) -> str:
    """The vocabulary's title of a field or enumerated value in the user's language (templates: `term(...)`)."""
    return vocabulary.label(group, key, current_locale())


def short_name(locale: str) -> str:
    return "en" if locale.startswith("en") else "zh"


def switch_url(lang: str) -> str:
    """The link that switches to `lang` (en or zh) and comes back to this page."""
    return url_for("i18n.switch_language", lang=lang, next=request.full_path.rstrip("?"))


@bp.get("/lang/<lang>")
def switch_language(lang: str):
    """Remember the chosen language in a plain cookie and go back where the user was (a page of this site)."""
    response = redirect(local_target(request.args.get("next"), url_for("public.index")))
    locale = chosen(lang)
    if locale:
        response.set_cookie(
            COOKIE,
            short_name(locale),
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)

    @app.before_request
    def choose_locale_afresh() -> None:
        # Flask-Babel caches the locale on `g`, which belongs to the application context. A request pushed inside an
        # application context that is already active (a script, a test fixture) shares that `g`, and would keep the
        # first request's language; each request chooses its own.
        refresh()

    app.jinja_env.globals.update(
        current_locale=current_locale,
        is_english=is_english,
        language_switch=switch_url,
        term=term,
        ChangeMark=vocabulary.ChangeMark,
    )


def translator(locale: str) -> Callable[[str], str]:
    """A function translating msgids into `locale`, whatever the current request's language is (CLI, exports)."""

    def translate(msgid: str) -> str:
        with force_locale(locale):
            return gettext(msgid)

    return translate
