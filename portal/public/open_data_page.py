"""The open-data page (/open-data): every download with its size, date and licence, and a Frictionless Data Package
(/open-data/datapackage.json) describing the consolidated CSV so open-data tools load it with types.

The page only looks: files not built yet are shown as being prepared (the worker builds them after publication).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, json, render_template, url_for

from portal import clock
from portal.publishing import edition_sets, exports, services
from portal.workbook import layout

bp = Blueprint("opendata", __name__, url_prefix="/open-data")

PAST_SHOWN = 12  # past edition sets listed on the page (any date can still be asked for)


@dataclass(frozen=True)
class Download:
    """One file: what it is, where it is, and (once built) its size and when it was built."""

    label: str
    url: str
    fmt: str
    size: int | None
    built: datetime | None


def _built(path: Path | None) -> tuple[int | None, datetime | None]:
    if path is None or not path.exists():
        return None, None
    stat = path.stat()
    return stat.st_size, clock.to_local(datetime.utcfromtimestamp(stat.st_mtime))  # noqa: DTZ004 - naive UTC


def _consolidated(on: date, as_of: str | None) -> list[Download]:
    found = []
    for fmt in services.FORMATS:
        for lang in services.LANGS:
            path, _set = services._consolidated_file(fmt, on, lang)  # noqa: SLF001 - same package's name for it
            size, built = _built(path)
            url = url_for(f"downloads.catalogue_{fmt}", as_of=as_of, lang=lang)
            found.append(Download(f"{fmt.upper()} · {'中文' if lang == 'zh' else 'English'}", url, fmt, size, built))
    return found


@bp.get("")
def index() -> str:
    today = clock.today()
    current = edition_sets.in_force(today)
    past = [
        found.since
        for found in edition_sets.needed(today)
        if found.since not in (current.since, edition_sets.BEFORE_ANY)
    ]
    past = sorted(set(past), reverse=True)[:PAST_SHOWN]
    return render_template(
        "public/open_data.html",
        today=today,
        since=current.since,
        editions=len(current.editions()),
        current=_consolidated(today, None),
        past=[(day, _consolidated(day, day.isoformat())) for day in past],
        licence=current_app.config["OPEN_DATA_LICENCE"],
        licence_url=current_app.config["OPEN_DATA_LICENCE_URL"],
    )


def _fields(lang: str) -> list[dict[str, Any]]:
    names = exports.headings(lang)
    keys = [key for key, *_rest in exports.EDITION_COLUMNS] + [column.key for column in layout.COLUMNS]
    return [
        {"name": name, "title": key, "type": "date" if key == "effective_from" else "string"}
        for name, key in zip(names, keys, strict=True)
    ]


def datapackage() -> dict[str, Any]:
    """The Data Package: one resource per language of today's consolidated CSV, with its Table Schema."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    resources = [
        {
            "name": f"port-fee-catalogue-{lang}",
            "title": "广州口岸收费目录清单汇总" if lang == "zh" else "Guangzhou port fee catalogue, consolidated",
            "path": base + url_for("downloads.catalogue_csv", lang=lang),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "dialect": {"delimiter": ",", "header": True},
            "schema": {"fields": _fields(lang)},
        }
        for lang in services.LANGS
    ]
    return {
        "profile": "tabular-data-package",
        "name": "guangzhou-port-fee-catalogue",
        "title": "Guangzhou port fee catalogue lists (穗商务规字〔2021〕4号)",
        "homepage": base + url_for("opendata.index"),
        "licenses": [
            {
                "name": current_app.config["OPEN_DATA_LICENCE"],
                "path": current_app.config["OPEN_DATA_LICENCE_URL"],
            }
        ],
        "resources": resources,
    }


@bp.get("/datapackage.json")
def datapackage_json() -> Response:
    return Response(json.dumps(datapackage(), ensure_ascii=False, indent=2), mimetype="application/json")
