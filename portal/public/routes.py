"""Public pages of the single window (no sign-in): home, fee search, operator pages, government list, Atom feed."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import gettext

from portal import clock
from portal.errors import NotFound
from portal.govlist import services as govlist
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from portal.public import changelog
from portal.public import feed as atom
from portal.public import query_words as words
from portal.public import search as finder
from portal.publishing import snapshot
from portal.validation.model import PricingClass
from portal.web.as_of import requested_day_and_link_args
from portal.web.bounds import query_int
from portal.web.i18n import current_locale, is_english
from portal.web.links import public_url

bp = Blueprint("public", __name__)

FEED_SIZE = 50
MAX_PAGE = 10_000  # result pages a search may ask for
FEED_MAX_AGE = 300  # seconds a reader or proxy may keep the feed


def _page() -> int:
    return query_int("page", 1, 1, MAX_PAGE)


@bp.get("/")
def index():
    """Home: every registered operator by port area, with the edition of its list in force on the date."""
    day, keep = requested_day_and_link_args()
    in_force = finder.editions_in_force(day)
    everyone = operators.all_operators()
    areas = [
        (area, [(operator, in_force.get(operator.id)) for operator in everyone if area in operator.port_areas])
        for area in operators.port_areas()
    ]
    return render_template("public/index.html", areas=areas, day=day, keep=keep)


@bp.get("/fees")
def search():
    """The consolidated catalogue in force on a date: every operator's lines, searched and filtered."""
    day, keep = requested_day_and_link_args()
    args = request.args
    query = args.get("q", "").strip()[: finder.MAX_QUERY]
    areas = operators.port_areas()
    reference = govlist.reference()
    reading = words.read(query, reference, areas, finder.search_terms) if query else words.Reading()
    named_nothing = bool(reading.operator_words) and not reading.operators
    wanted = {
        "q": query,
        "port": args.get("port", "").strip(),
        "operator": args.get("operator", "").strip(),
        "kind": args.get("kind", "").strip(),
        "pricing_class": args.get("pricing_class", "").strip(),
        "sort": args.get("sort", "").strip() if args.get("sort", "").strip() in finder.SORTS else "",
        "group": args.get("group", "").strip() if args.get("group", "").strip() in finder.GROUPS else "",
    }
    filters = finder.Filters(
        q=reading.fee_query,
        port=wanted["port"],
        operator=wanted["operator"],
        kind=wanted["kind"],
        pricing_class=wanted["pricing_class"],
        operator_ids=reading.operator_ids,
        ports=reading.port_codes,
        sort=wanted["sort"],
        group=wanted["group"],
    )
    if named_nothing:
        results = finder.ResultPage(hits=(), total=0, page=1, per_page=finder.PER_PAGE)
    else:
        results = finder.search(day, filters, page=_page())
    return render_template(
        "public/search.html",
        day=day,
        keep=keep,
        query=query,
        wanted=wanted,
        reading=reading,
        filters=filters,
        results=results,
        named_areas=[area for area in areas if area.code in reading.port_codes],
        complain_day=min(day, clock.today()),
        suggestions=words.suggestions(query, reference) if query and not results.total else [],
        page_args={**{k: v for k, v in wanted.items() if v}, **keep},
        port_areas=areas,
        kinds=[k.value for k in OperatorKind],
        pricing_classes=[p.value for p in PricingClass],
    )


@bp.get("/operators/<credit_code>")
def operator(credit_code: str):
    """An operator's profile, the edition in force on the date, changes announced for later, and the change log."""
    day, keep = requested_day_and_link_args()
    try:
        profile = operators.by_credit_code(credit_code)
    except NotFound:
        # A posting sheet printed before an approved change of credit code still leads to the operator.
        moved = operators.by_former_credit_code(credit_code)
        if moved is None:
            raise
        return redirect(url_for(".operator", credit_code=moved.credit_code, **request.args), 301)
    history = snapshot.history(profile.id)
    return render_template(
        "public/operator.html",
        operator=profile,
        day=day,
        keep=keep,
        current=changelog.in_force(history, day),
        upcoming=[changelog.changes(e, history) for e in changelog.scheduled(history, day)],
        log=changelog.change_log(history),
    )


@bp.get("/government-list")
def government_list():
    """The government list (Class A) in force on a date, every row with its basis, source and verification status."""
    day, _keep = requested_day_and_link_args()
    items = govlist.items_in_force(day)
    bundles = govlist.bundles_in_force(day)
    return render_template(
        "public/government_list.html",
        items=items,
        bundles=bundles,
        bundle_names={b.code: (b.name_en if is_english() else b.name_zh) for b in bundles},
        day=day,
        unverified=sum(1 for item in items if not item.verified),
    )


def _summary(changes: changelog.EditionChanges) -> str:
    edition = changes.edition
    parts = []
    if changes.first:
        parts.append(
            gettext(
                "First edition, effective %(date)s: %(count)s fee lines.",
                date=edition.effective_from.isoformat(),
                count=len(edition.lines),
            )
        )
    else:
        parts.append(gettext("Effective %(date)s.", date=edition.effective_from.isoformat()))
        listed = [
            f"{c.mark} {c.line.name}" + (f" ({c.line.conditions})" if c.line.conditions else "") for c in changes.lines
        ]
        parts.append("; ".join(listed) if listed else gettext("No line changed."))
    if changes.replaced:
        parts.append(gettext("Replaced by a later edition before it took effect."))
    return " ".join(parts)


def _entry(changes: changelog.EditionChanges) -> atom.Entry:
    edition = changes.edition
    name = edition.operator_name(current_locale())
    page = public_url("public.operator", credit_code=edition.credit_code)
    link = f"{page}#edition-{edition.edition_code}"
    return atom.Entry(
        id=link,
        title=f"{name} · {edition.edition_code}",
        link=link,
        published=edition.published_at,
        summary=_summary(changes),
        author=name,
        categories=tuple(dict.fromkeys(c.line.name for c in changes.lines if not changes.first)),
    )


@bp.get("/feed.atom")
def feed():
    """Published editions, newest first; `?operator=<credit code>` and `?fee=<name or alias>` narrow it."""
    credit_code = request.args.get("operator", "").strip()
    fee = request.args.get("fee", "").strip()[: finder.MAX_QUERY]
    terms = finder.search_terms(fee, govlist.reference()) if fee else ()
    profile = operators.by_credit_code(credit_code) if credit_code else None
    found = [] if fee and not terms else finder.recent_editions(credit_code=credit_code, terms=terms, limit=FEED_SIZE)
    wanted = {k: v for k, v in {"operator": credit_code, "fee": fee}.items() if v}
    title = gettext("Published port fee lists")
    if fee:
        title = gettext("Changes to %(fee)s", fee=fee) + " · " + title
    if profile is not None:
        title = profile.name(current_locale()) + " · " + title
    document = atom.render(
        atom.Feed(
            id=public_url("public.feed", **wanted),
            title=title,
            self_link=public_url("public.feed", **wanted),
            link=public_url("public.operator", credit_code=credit_code)
            if credit_code
            else public_url("public.search", q=fee or None),
            author=gettext("Guangzhou Port Fee Catalogue Portal"),
            generated=clock.now(),
            entries=[_entry(changes) for changes in found],
        )
    )
    response = Response(document, content_type=atom.CONTENT_TYPE)
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)
