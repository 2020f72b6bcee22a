"""A deterministic national-scale dataset: 20,000 operators and 1,000,000 published fee lines, one edition each.

    python -m bench.make_data --database-url sqlite:///bench/data/national.sqlite3
    python -m bench.make_data --database-url postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench

The database is created afresh (migrations, government list) and filled in batches through SQLAlchemy Core.
Lines are the demo catalogues' lines, varied: an operator of a kind charges the fees operators of that kind charge,
some with a qualifier in the name (出口, 夜间 ...) and with its own prices. Each varied line goes through the
portal's own parser (`catalogue.mapping.record_values`), so the stored parsed values are what an upload stores.
The same seed gives the same data.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from tqdm import tqdm

from bench.common import arguments, recreate_database, run_commands
from portal import create_app
from portal.catalogue import mapping
from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, VersionStatus
from portal.catalogue.name_index import register_names
from portal.demo import catalogue_input
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator, OperatorKind, PortArea, operator_port_area
from portal.validation.credit_code import check_character
from portal.validation.model import FeeLine

ROOT = Path(__file__).resolve().parent.parent
OPERATORS = 20_000
LINES = 1_000_000
SEED = 20261123
BATCH = 5_000

# Share of operators by kind (forwarders and brokers are most of a port's operators; terminals are few).
KIND_SHARES = {
    OperatorKind.FORWARDER: 34,
    OperatorKind.CUSTOMS_BROKER: 20,
    OperatorKind.SHIPPING_AGENT: 11,
    OperatorKind.WAREHOUSE: 12,
    OperatorKind.SHIPPING_LINE: 3,
    OperatorKind.TERMINAL: 3,
    OperatorKind.TALLY: 5,
    OperatorKind.INSPECTION: 5,
    OperatorKind.OTHER: 7,
}
SUFFIX = {
    OperatorKind.FORWARDER: ("国际货运代理有限公司", "International Freight Forwarding Co., Ltd."),
    OperatorKind.CUSTOMS_BROKER: ("报关有限公司", "Customs Brokerage Co., Ltd."),
    OperatorKind.SHIPPING_AGENT: ("船务代理有限公司", "Shipping Agency Co., Ltd."),
    OperatorKind.WAREHOUSE: ("仓储物流有限公司", "Warehousing & Logistics Co., Ltd."),
    OperatorKind.SHIPPING_LINE: ("航运有限公司", "Shipping Co., Ltd."),
    OperatorKind.TERMINAL: ("集装箱码头有限公司", "Container Terminal Co., Ltd."),
    OperatorKind.TALLY: ("外轮理货有限公司", "Ocean Shipping Tally Co., Ltd."),
    OperatorKind.INSPECTION: ("检验检测技术有限公司", "Inspection & Testing Co., Ltd."),
    OperatorKind.OTHER: ("供应链管理有限公司", "Supply Chain Management Co., Ltd."),
}
CITIES = (
    ("广州", "Guangzhou", "440101"), ("深圳", "Shenzhen", "440301"), ("上海", "Shanghai", "310101"),
    ("宁波", "Ningbo", "330201"), ("青岛", "Qingdao", "370201"), ("天津", "Tianjin", "120101"),
    ("厦门", "Xiamen", "350201"), ("大连", "Dalian", "210201"), ("连云港", "Lianyungang", "320701"),
    ("南京", "Nanjing", "320101"), ("武汉", "Wuhan", "420101"), ("重庆", "Chongqing", "500101"),
    ("福州", "Fuzhou", "350101"), ("湛江", "Zhanjiang", "440801"), ("北海", "Beihai", "450501"),
    ("海口", "Haikou", "460101"), ("烟台", "Yantai", "370601"), ("日照", "Rizhao", "371101"),
    ("营口", "Yingkou", "210801"), ("唐山", "Tangshan", "130201"), ("南通", "Nantong", "320601"),
    ("珠海", "Zhuhai", "440401"), ("汕头", "Shantou", "440501"), ("东莞", "Dongguan", "441901"),
    ("佛山", "Foshan", "440601"), ("中山", "Zhongshan", "442001"), ("江门", "Jiangmen", "440701"),
    ("泉州", "Quanzhou", "350501"), ("温州", "Wenzhou", "330301"), ("舟山", "Zhoushan", "330901"),
    ("钦州", "Qinzhou", "450701"), ("防城港", "Fangchenggang", "450601"), ("九江", "Jiujiang", "360401"),
    ("芜湖", "Wuhu", "340201"), ("岳阳", "Yueyang", "430601"), ("宜宾", "Yibin", "511501"),
)  # fmt: skip
BRAND = "华海远通达恒嘉顺联航运泰丰瑞盛兴隆安信诚越洋宏港鑫源捷迅中外宝利合众立新金桥天成亚太环球骏驰"
QUALIFIERS = ("出口", "进口", "外贸", "内贸", "加急", "夜间", "节假日", "散货", "冷链", "危险品")
FACTORS = (Decimal("0.8"), Decimal("0.9"), Decimal("1"), Decimal("1.1"), Decimal("1.25"))
PLAIN_AMOUNT = re.compile(r"^\d+(\.\d+)?$")


def lines_per_operator(rng: random.Random, operators: int, lines: int) -> list[int]:
    """How many lines each operator lists: between 10 and 90, summing to exactly `lines`."""
    counts = [rng.randint(10, 90) for _ in range(operators)]
    scale = lines / sum(counts)
    counts = [max(1, round(c * scale)) for c in counts]
    gap = lines - sum(counts)
    step = 1 if gap > 0 else -1
    i = 0
    while gap:
        if counts[i % operators] + step >= 1:
            counts[i % operators] += step
            gap -= step
        i += 1
    return counts


def demo_lines() -> dict[OperatorKind, list[FeeLine]]:
    """The demo catalogues' lines by the kind of operator that lists them."""
    import json

    data = json.loads((ROOT / "demo" / "operators.json").read_text(encoding="utf-8"))
    by_kind: dict[OperatorKind, list[FeeLine]] = defaultdict(list)
    for entry in data:
        by_kind[OperatorKind(entry["kind"])].extend(catalogue_input(entry["catalogue"]).lines)
    return by_kind


class LineMaker:
    """Varied lines parsed once per variant (a template line, a qualifier, a price factor) and then reused."""

    def __init__(self, aliases: dict[str, str]) -> None:
        self.aliases = aliases
        self.templates = demo_lines()
        self.values = cache(self._values)

    def _values(self, kind: OperatorKind, index: int, qualifier: str, factor: Decimal) -> dict[str, Any]:
        line = self.templates[kind][index]
        name = f"{qualifier}{line.name}" if qualifier else line.name
        standard = line.standard
        if PLAIN_AMOUNT.match(standard.strip()):
            standard = str((Decimal(standard) * factor).quantize(Decimal("1")))
        values = mapping.record_values(
            replace(line, name=name, standard=standard, row=None, change_mark=""), self.aliases
        )
        return {**values, "source_row": None}

    def lines(self, rng: random.Random, kind: OperatorKind, count: int) -> Iterator[dict[str, Any]]:
        templates = len(self.templates[kind])
        qualifier = rng.choice(QUALIFIERS) if rng.random() < 0.35 else ""
        factor = rng.choice(FACTORS)
        for position in range(count):
            index = position % templates
            named = qualifier if rng.random() < 0.5 else ""
            yield {**self.values(kind, index, named, factor), "position": position + 1, "line_no": str(position + 1)}


def operator_row(rng: random.Random, serial: int, kind: OperatorKind) -> dict[str, Any]:
    city, city_en, region = CITIES[serial % len(CITIES)]
    brand = "".join(rng.sample(BRAND, 2))
    suffix_zh, suffix_en = SUFFIX[kind]
    body = f"91{region}{serial:09d}"
    return {
        "id": serial,
        "credit_code": body + check_character(body),
        "name_zh": f"{city}{brand}{suffix_zh}"[:200],
        "name_en": f"{city_en} {brand} {suffix_en} No.{serial}",
        "kind": kind.value,
        "address": f"{city}市港口大道{serial % 900 + 1}号",
        "website": f"https://op{serial}.example.cn",
        "complaint_phones": [f"0{rng.randint(200, 999)}-{rng.randint(30000000, 89999999)}", "12345"],
        "created_at": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None),
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None),
    }


def build(database_url: str, operators: int, lines: int, seed: int = SEED) -> dict[str, int]:
    """Create the database afresh and fill it; returns the counts written."""
    recreate_database(database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "EXPORTS_DIR": ROOT / "bench" / "data" / "exports"})
    run_commands(app, "init-db", "load-govlist")
    with app.app_context():
        area_ids = list(db.session.scalars(select(PortArea.id).order_by(PortArea.position)))
        maker = LineMaker(dict(govlist.reference().aliases))
        rng = random.Random(seed)
        kinds = [k for k, share in KIND_SHARES.items() for _ in range(share)]
        counts = lines_per_operator(rng, operators, lines)
        written = {"operators": 0, "lines": 0}
        names: set[str] = set()
        start = date(2026, 1, 1)
        with tqdm(total=lines, unit="line", desc="fee lines", unit_scale=True) as bar:
            for first in range(1, operators + 1, BATCH // 10):
                chunk = range(first, min(first + BATCH // 10, operators + 1))
                ops, areas, catalogues, versions, rows = [], [], [], [], []
                for serial in chunk:
                    kind = kinds[rng.randrange(len(kinds))]
                    op = operator_row(rng, serial, kind)
                    ops.append(op)
                    areas += [
                        {"operator_id": serial, "port_area_id": a} for a in rng.sample(area_ids, rng.randint(1, 2))
                    ]
                    catalogues.append({"id": serial, "operator_id": serial, "created_at": op["created_at"]})
                    effective = start + timedelta(days=rng.randrange(300))
                    published = datetime.combine(effective - timedelta(days=3), datetime.min.time())
                    versions.append(_version(serial, op, effective, published))
                    for values in maker.lines(rng, kind, counts[serial - 1]):
                        rows.append({**values, "version_id": serial})
                        names.add(values["name_key"])
                db.session.execute(insert(Operator), ops)
                db.session.execute(insert(operator_port_area), areas)
                db.session.execute(insert(Catalogue), catalogues)
                db.session.execute(insert(CatalogueVersion), versions)
                for i in range(0, len(rows), BATCH):
                    db.session.execute(insert(FeeLineRecord), rows[i : i + BATCH])
                db.session.commit()
                written["operators"] += len(ops)
                written["lines"] += len(rows)
                bar.update(len(rows))
        register_names(db.session, names)
        db.session.commit()
        _reset_sequences(database_url)
        db.session.execute(text("ANALYZE"))  # planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` keep
        db.session.commit()
        written["names"] = len(names)
    return written


def _version(serial: int, op: dict[str, Any], effective: date, published: datetime) -> dict[str, Any]:
    return {
        "id": serial,
        "catalogue_id": serial,
        "number": 1,
        "status": VersionStatus.PUBLISHED.value,
        "lock_version": 1,
        "operator_name": op["name_zh"],
        "credit_code": op["credit_code"],
        "port_area": "",
        "complaint_phone": "；".join(op["complaint_phones"]),
        "effective_date_text": effective.isoformat(),
        "updated_date_text": effective.isoformat(),
        "effective_from": effective,
        "source": "bench",
        "error_count": 0,
        "warning_count": 0,
        "explanations": {},
        "created_at": published,
        "updated_at": published,
        "submitted_at": published,
        "decided_at": published,
        "published_at": published,
        "edition_code": f"{op['credit_code']}-001",
    }


def _reset_sequences(database_url: str) -> None:
    """PostgreSQL: move each id sequence past the explicit ids written, so the portal can add rows afterwards."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return
    for table in ("operator", "catalogue", "catalogue_version", "fee_line"):
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM \"{table}\"))")
        )
    db.session.commit()


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments(
        __doc__.splitlines()[0],
        argv,
        database_url={"default": f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}"},
        operators={"type": int, "default": None},
        lines={"type": int, "default": None},
    )
    operators = args.operators or (200 if args.smoke else OPERATORS)
    lines = args.lines or (10_000 if args.smoke else LINES)
    written = build(args.database_url, operators, lines)
    print(f"wrote {written['operators']:,} operators, {written['lines']:,} lines, {written['names']:,} distinct names")


if __name__ == "__main__":
    main()
