"""Locale selection (session choice, then Accept-Language, then Chinese) and the language switch."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Flask, current_app, redirect, request, session, url_for
from flask_babel import force_locale, get_locale, gettext

from portal.extensions import babel
from portal.validation import vocabulary
from portal.web.redirects import local_target

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(["zh", "zh_Hans_CN", "zh-CN", "en"])
    if best and best.startswith("en"):
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def is_english() -> bool:
    return current_locale().startswith("en")


def term(group: str, key: object) -> str:
    """The vocabulary's title of a field or enumerated value in the user's language (templates: `term(...)`)."""
    return vocabulary.label(group, key, current_locale())


@bp.post("/lang")
def switch_language():
    """Remember the chosen language in the session and go back where the user was."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(local_target(request.form.get("next"), url_for("public.index")))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        current_locale=current_locale, is_english=is_english, term=term, ChangeMark=vocabulary.ChangeMark
    )


def translator(locale: str) -> Callable[[str], str]:
    """A function translating msgids into `locale`, whatever the current request's language is (CLI, exports)."""

    def translate(msgid: str) -> str:
        with force_locale(locale):
            return gettext(msgid)

    return translate
