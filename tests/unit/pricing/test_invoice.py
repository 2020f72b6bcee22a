"""The pure invoice check: rows read into charges or located errors, and each charge judged against the list in force.

Every expected value is written out here by hand; nothing is worked out by the module under test. No app, no database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.pricing.invoice import (
    EMPTY,
    FUTURE,
    NO_ROWS,
    NOT_A_CURRENCY,
    NOT_A_DATE,
    NOT_AN_AMOUNT,
    NOT_POSITIVE,
    TOO_LARGE,
    TOO_MANY_ROWS,
    Charge,
    Checked,
    Mark,
    Result,
    check,
    column_letter,
    header_columns,
    read_rows,
)
from portal.publishing.snapshot import PublishedEdition, PublishedLine
from portal.validation.model import Bundle, BundleComponent, Reference

TODAY = date(2026, 11, 23)
DAY = date(2026, 11, 20)
TERMINAL = "广州南沙示范集装箱码头有限公司"
AGENCY = "广州黄埔示范供应链物流有限公司"
OTHER = "广州另一家物流有限公司"
# 经营单位, 日期, 收费项目, 数量, 金额, 币种 -> A..F
COLUMNS = {"operator": 0, "charged_on": 1, "fee_name": 2, "quantity": 3, "amount": 4, "currency": 5}


def located(errors) -> list[tuple]:
    """Each error in full: params are not part of RowError's equality, so they are listed here."""
    return [(e.row, e.column, e.field, e.message, dict(e.params)) for e in errors]


def good(number: int, fee: str = "换单费") -> tuple[int, list[str]]:
    return number, [TERMINAL, "2026-11-20", fee, "1", "100", ""]


# --- column_letter -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "letters"),
    [
        (0, "A"),
        (1, "B"),
        (4, "E"),
        (25, "Z"),
        (26, "AA"),
        (27, "AB"),
        (51, "AZ"),
        (52, "BA"),
        (701, "ZZ"),
        (702, "AAA"),
    ],
)
def test_a_column_index_is_written_as_the_spreadsheet_letters(index, letters) -> None:
    assert column_letter(index) == letters


# --- header_columns ----------------------------------------------------------------------------------------------


def test_the_chinese_header_names_every_column() -> None:
    assert header_columns(["经营单位", "日期", "收费项目", "数量", "金额", "币种"]) == COLUMNS


def test_english_titles_are_read_without_spaces_or_case() -> None:
    titles = ["Operator", "Invoice Date", "Fee Name", "QTY", "Total", "CURRENCY"]
    assert header_columns(titles) == COLUMNS


@pytest.mark.parametrize(
    ("titles", "columns"),
    [
        (["开票单位", "开票日期", "项目名称", "金额"], {"operator": 0, "charged_on": 1, "fee_name": 2, "amount": 3}),
        (["销售方", "收费日期", "费用名称", "价税合计"], {"operator": 0, "charged_on": 1, "fee_name": 2, "amount": 3}),
        (["Company", "Charged On", "Charge", "Amount"], {"operator": 0, "charged_on": 1, "fee_name": 2, "amount": 3}),
        (["vendor", "date", "item", "qty"], {"operator": 0, "charged_on": 1, "fee_name": 2, "quantity": 3}),
        (["收费单位", "单位名称", "Fee", "收费金额"], {"operator": 0, "fee_name": 2, "amount": 3}),
    ],
    ids=["invoice-words", "seller-words", "english-synonyms", "short-english", "first-synonym-wins"],
)
def test_header_synonyms_name_their_field(titles, columns) -> None:
    assert header_columns(titles) == columns


def test_marks_colons_spaces_and_full_width_letters_around_a_title_are_ignored() -> None:
    titles = ["*经营单位", "日期：", "收费项目:", " 数 量 ", "＊金额", "ＣＵＲＲＥＮＣＹ"]
    assert header_columns(titles) == COLUMNS


def test_the_first_column_with_a_title_keeps_the_field() -> None:
    assert header_columns(["日期", "开票日期", "金额", "Amount"]) == {"charged_on": 0, "amount": 2}


def test_blank_and_unknown_titles_are_skipped() -> None:
    assert header_columns([None, "", "备注", "日期", "金额"]) == {"charged_on": 3, "amount": 4}  # type: ignore[list-item]


def test_two_known_titles_make_a_header_and_one_does_not() -> None:
    assert header_columns(["备注", "项目", "金额"]) == {"fee_name": 1, "amount": 2}
    assert header_columns(["金额", "备注", "说明"]) == {}
    assert header_columns(["某某物流 发票费用明细"]) == {}  # a title above the header
    assert header_columns([]) == {}


# --- read_rows: what a good row becomes ----------------------------------------------------------------------------


def test_a_good_row_becomes_a_charge_with_exact_values() -> None:
    rows = [(3, ["  " + TERMINAL + " ", "2026-11-20", " 港口作业包干费 ", "2", "1,720.00", "人民币"])]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert errors == []
    assert charges == [Charge(3, TERMINAL, date(2026, 11, 20), "港口作业包干费", Decimal(2), Decimal("1720.00"), "CNY")]
    assert str(charges[0].amount) == "1720.00"


def test_quantity_defaults_to_one_and_currency_to_cny() -> None:
    rows = [(2, [AGENCY, "2026-11-20", "换单费", "", "460", ""])]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert errors == []
    assert charges == [Charge(2, AGENCY, DAY, "换单费", Decimal(1), Decimal(460), "CNY")]


def test_without_quantity_or_currency_columns_the_defaults_apply() -> None:
    columns = {"operator": 0, "charged_on": 1, "fee_name": 2, "amount": 3}
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "换单费", "460"])], columns, TODAY)
    assert errors == []
    assert charges == [Charge(2, AGENCY, DAY, "换单费", Decimal(1), Decimal(460), "CNY")]


@pytest.mark.parametrize(
    ("written", "currency"),
    [("USD", "USD"), ("usd", "USD"), ("美元", "USD"), ("US$", "USD"), ("RMB", "CNY"), ("元", "CNY"), ("CNY", "CNY")],
)
def test_the_currency_is_read_from_its_words(written, currency) -> None:
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "换单费", "1", "60", written])], COLUMNS, TODAY)
    assert errors == []
    assert [c.currency for c in charges] == [currency]


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/2", date(2026, 11, 2)),
        ("2026.1.5", date(2026, 1, 5)),
        ("2026年11月20日", date(2026, 11, 20)),
        ("20261120", date(2026, 11, 20)),
        ("2026-11-20 08:30:00", date(2026, 11, 20)),
        ("2026-11-20T08:30:00", date(2026, 11, 20)),
        ("2026年11月20日 08:30", date(2026, 11, 20)),  # only the part before the space is a date
        ("20261120T083000", date(2026, 11, 20)),  # only the part before the T is a date
        ("2026-11-23", TODAY),  # today is not the future
    ],
)
def test_dates_are_read_as_written_with_any_time_of_day_dropped(written, day) -> None:
    charges, errors = read_rows([(2, [AGENCY, written, "换单费", "1", "460"])], COLUMNS, TODAY)
    assert errors == []
    assert [c.charged_on for c in charges] == [day]


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("1800", Decimal("1800")),
        ("1,800", Decimal("1800")),
        ("1,234.5678", Decimal("1234.5678")),  # four decimals, exact
        ("￥1,800.00", Decimal("1800.00")),
        ("RMB 200", Decimal("200")),
        ("200元", Decimal("200")),
        ("０.０１", Decimal("0.01")),
        ("0.0001", Decimal("0.0001")),
        ("100000000", Decimal("100000000")),  # the largest amount accepted
    ],
)
def test_amounts_are_exact_decimals(written, amount) -> None:
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "换单费", "1", written])], COLUMNS, TODAY)
    assert errors == []
    assert [str(c.amount) for c in charges] == [str(amount)]


@pytest.mark.parametrize(
    ("written", "quantity"),
    [("2", Decimal(2)), ("2.5", Decimal("2.5")), ("0.0001", Decimal("0.0001")), ("1000000", Decimal(1000000))],
)
def test_quantities_are_exact_decimals(written, quantity) -> None:
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "换单费", written, "10"])], COLUMNS, TODAY)
    assert errors == []
    assert [str(c.quantity) for c in charges] == [str(quantity)]


# --- read_rows: located errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "index", "letter"),
    [("operator", 0, "A"), ("charged_on", 1, "B"), ("fee_name", 2, "C"), ("amount", 4, "E")],
)
def test_each_required_cell_left_empty_is_located(name, index, letter) -> None:
    values = [AGENCY, "2026-11-20", "换单费", "1", "460", "CNY"]
    values[index] = "  "
    charges, errors = read_rows([(7, values)], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(7, letter, name, EMPTY, {"field": name})]


def test_a_none_cell_counts_as_empty() -> None:
    charges, errors = read_rows([(4, [AGENCY, "2026-11-20", None, "1", "460"])], COLUMNS, TODAY)  # type: ignore[list-item]
    assert charges == []
    assert located(errors) == [(4, "C", "fee_name", EMPTY, {"field": "fee_name"})]


def test_a_short_row_lacks_its_last_cells() -> None:
    """The amount column is E (index 4); a row of four cells has none."""
    charges, errors = read_rows([(5, [AGENCY, "2026-11-20", "换单费", "1"])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(5, "E", "amount", EMPTY, {"field": "amount"})]


def test_a_required_field_without_a_column_is_reported_without_a_letter() -> None:
    columns = {"operator": 0, "charged_on": 1, "amount": 2}
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "460"])], columns, TODAY)
    assert charges == []
    assert located(errors) == [(2, "", "fee_name", EMPTY, {"field": "fee_name"})]


def test_a_form_gets_no_column_letters() -> None:
    rows = [(1, [AGENCY, "2026-13-40", "", "0", "abc", "EUR"])]
    charges, errors = read_rows(rows, COLUMNS, TODAY, letters=False)
    assert charges == []
    assert located(errors) == [
        (1, "", "fee_name", EMPTY, {"field": "fee_name"}),
        (1, "", "charged_on", NOT_A_DATE, {"value": "2026-13-40"}),
        (1, "", "amount", NOT_AN_AMOUNT, {"value": "abc"}),
        (1, "", "quantity", NOT_POSITIVE, {"value": "0"}),
        (1, "", "currency", NOT_A_CURRENCY, {"value": "EUR"}),
    ]


def test_every_bad_cell_of_a_row_is_reported_in_column_order_of_the_checks() -> None:
    rows = [(3, ["", "2026-13-40", "", "0", "abc", "EUR"])]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [
        (3, "A", "operator", EMPTY, {"field": "operator"}),
        (3, "C", "fee_name", EMPTY, {"field": "fee_name"}),
        (3, "B", "charged_on", NOT_A_DATE, {"value": "2026-13-40"}),
        (3, "E", "amount", NOT_AN_AMOUNT, {"value": "abc"}),  # and the quantity is still checked after it
        (3, "D", "quantity", NOT_POSITIVE, {"value": "0"}),
        (3, "F", "currency", NOT_A_CURRENCY, {"value": "EUR"}),
    ]


def test_an_empty_amount_does_not_stop_the_quantity_being_checked() -> None:
    charges, errors = read_rows([(4, [AGENCY, "2026-11-20", "换单费", "1000001", ""])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [
        (4, "E", "amount", EMPTY, {"field": "amount"}),
        (4, "D", "quantity", TOO_LARGE, {"value": "1000001"}),
    ]


def test_letters_go_past_z() -> None:
    columns = {"operator": 0, "charged_on": 1, "fee_name": 2, "amount": 26, "quantity": 27}
    values = [AGENCY, "2026-11-20", "换单费", *[""] * 23, "-1", "x"]
    charges, errors = read_rows([(9, values)], columns, TODAY)
    assert charges == []
    assert located(errors) == [
        (9, "AA", "amount", NOT_POSITIVE, {"value": "-1"}),
        (9, "AB", "quantity", NOT_AN_AMOUNT, {"value": "x"}),
    ]


@pytest.mark.parametrize(
    "written",
    ["2026-13-40", "2026-02-30", "46346", "20/11/2026", "11月20日", "yesterday"],
    ids=["month-13", "feb-30", "excel-serial", "day-first", "no-year", "words"],
)
def test_what_is_not_a_date_is_refused_with_the_text_as_written(written) -> None:
    """An Excel date serial (46346) reaches here only when the adapter failed to read it; it is refused, not guessed."""
    charges, errors = read_rows([(6, [AGENCY, written, "换单费", "1", "460"])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(6, "B", "charged_on", NOT_A_DATE, {"value": written})]


@pytest.mark.parametrize("written", ["2026-11-24", "2026-11-24 00:00:01", "2027-01-01"])
def test_a_day_after_today_is_in_the_future(written) -> None:
    charges, errors = read_rows([(2, [AGENCY, written, "换单费", "1", "460"])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(2, "B", "charged_on", FUTURE, {"value": written})]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", NOT_POSITIVE),
        ("0.00", NOT_POSITIVE),
        ("-5", NOT_POSITIVE),
        ("-0.01", NOT_POSITIVE),
        ("100000000.01", TOO_LARGE),
        ("1e3", NOT_AN_AMOUNT),
        ("1.23456", NOT_AN_AMOUNT),  # five decimals: refused rather than rounded
        ("12,34", NOT_AN_AMOUNT),
        ("NaN", NOT_AN_AMOUNT),
        ("一百", NOT_AN_AMOUNT),
    ],
)
def test_a_bad_amount_is_located(written, message) -> None:
    charges, errors = read_rows([(8, [AGENCY, "2026-11-20", "换单费", "1", written])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(8, "E", "amount", message, {"value": written})]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", NOT_POSITIVE),
        ("-2", NOT_POSITIVE),
        ("1000000.0001", TOO_LARGE),
        ("1000001", TOO_LARGE),
        ("两", NOT_AN_AMOUNT),
    ],
)
def test_a_bad_quantity_is_located(written, message) -> None:
    charges, errors = read_rows([(8, [AGENCY, "2026-11-20", "换单费", written, "100"])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(8, "D", "quantity", message, {"value": written})]


def test_a_large_quantity_is_not_held_to_the_amount_limit() -> None:
    """Each number has its own ceiling: a quantity of 1,000,000 is allowed, an amount of 100,000,000 too."""
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "换单费", "1000000", "100000000"])], COLUMNS, TODAY)
    assert errors == []
    assert [(c.quantity, c.amount) for c in charges] == [(Decimal(1000000), Decimal(100000000))]


def test_a_bad_row_does_not_stop_the_rows_after_it() -> None:
    rows = [
        (2, [TERMINAL, "2026-11-20", "港口作业包干费", "2", "1720"]),
        (3, [TERMINAL, "2026-13-40", "换单费", "1", "abc"]),
        (4, [TERMINAL, "2026-11-20", "", "0", "100"]),
        (5, [AGENCY, "2026-11-19", "换单费", "1", "460"]),
    ]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert charges == [
        Charge(2, TERMINAL, DAY, "港口作业包干费", Decimal(2), Decimal(1720)),
        Charge(5, AGENCY, date(2026, 11, 19), "换单费", Decimal(1), Decimal(460)),
    ]
    assert located(errors) == [
        (3, "B", "charged_on", NOT_A_DATE, {"value": "2026-13-40"}),
        (3, "E", "amount", NOT_AN_AMOUNT, {"value": "abc"}),
        (4, "C", "fee_name", EMPTY, {"field": "fee_name"}),
        (4, "D", "quantity", NOT_POSITIVE, {"value": "0"}),
    ]


# --- read_rows: blank rows, no rows, too many rows -----------------------------------------------------------------


def test_blank_rows_are_skipped() -> None:
    rows = [
        (2, ["", "  ", None, "", "", ""]),
        (3, []),
        good(4),
        (5, ["\t", " "]),
    ]
    charges, errors = read_rows(rows, COLUMNS, TODAY)  # type: ignore[arg-type]
    assert errors == []
    assert [c.row for c in charges] == [4]


@pytest.mark.parametrize("rows", [[], [(2, ["", "", "", "", ""]), (3, [None, " "])]], ids=["none", "blank"])
def test_no_charge_at_all_is_one_error(rows) -> None:
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(0, "", "", NO_ROWS, {})]


def test_a_bad_only_row_is_not_also_no_rows() -> None:
    charges, errors = read_rows([(2, [AGENCY, "2026-11-20", "换单费", "1", ""])], COLUMNS, TODAY)
    assert charges == []
    assert located(errors) == [(2, "E", "amount", EMPTY, {"field": "amount"})]


def test_two_hundred_charges_are_read_and_blank_rows_do_not_count() -> None:
    rows = [good(n) for n in range(2, 102)] + [(102, ["", "", "", "", "", ""])] + [good(n) for n in range(103, 203)]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert errors == []
    assert len(charges) == 200
    assert charges[-1].row == 202


def test_the_two_hundred_and_first_charge_stops_the_reading_once() -> None:
    rows = [good(n) for n in range(2, 102)] + [(102, [""] * 6)] + [good(n) for n in range(103, 206)]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert len(charges) == 200
    assert charges[-1].row == 202
    assert located(errors) == [(203, "", "", TOO_MANY_ROWS, {"limit": 200})]


def test_a_bad_row_counts_once_towards_the_limit_however_many_errors_it_has() -> None:
    bad = (200, [AGENCY, "2026-11-20", "换单费", "0", "abc", ""])
    rows = [good(n) for n in range(2, 200)] + [bad, good(201), good(202), good(203)]
    charges, errors = read_rows(rows, COLUMNS, TODAY)
    assert len(charges) == 199  # rows 2..199 and 201
    assert charges[-1].row == 201
    assert located(errors) == [
        (200, "E", "amount", NOT_AN_AMOUNT, {"value": "abc"}),
        (200, "D", "quantity", NOT_POSITIVE, {"value": "0"}),
        (202, "", "", TOO_MANY_ROWS, {"limit": 200}),
    ]


# --- check ---------------------------------------------------------------------------------------------------------

PORT = Bundle(
    code="PORT",
    name_zh="港口作业包干费",
    name_en="Port handling package",
    basis="",
    components=(
        BundleComponent("场内搬移费", "Yard shifting", "", aliases=("移箱",)),
        BundleComponent("驳船取送", "Barge transfer", "", effective_from=date(2018, 6, 20)),
        BundleComponent("费", "X", ""),  # stems shorter than two characters never match a charge
    ),
    aliases=("码头作业包干费",),
)
TRUCKING = Bundle(
    code="TRUCK",
    name_zh="拖车包干费",
    name_en="Trucking package",
    basis="",
    components=(BundleComponent("拖车", "Trucking", ""),),
    aliases=("拖车费",),
)
TALLY = Bundle(
    code="TALLY",
    name_zh="理货包干费",
    name_en="Tally package",
    basis="",
    components=(BundleComponent("理货单证", "Tally documents", ""),),
    effective_until=date(2020, 12, 31),
)
REFERENCE = Reference(bundles=(PORT, TRUCKING, TALLY), aliases={"文件费": "单证费"})


def line(
    name: str,
    kind: str,
    amount: str | None,
    amount_max: str | None = None,
    currency: str = "CNY",
    position: int = 0,
    standard: str | None = None,
) -> PublishedLine:
    return PublishedLine(
        position=position,
        line_no="",
        name=name,
        conditions="",
        service_content="",
        standard=standard or amount or "按天分段",
        unit="元/箱",
        currency=currency,
        pricing_class="市场调节价",
        basis="",
        pass_through=False,
        remarks="",
        change_mark="",
        effective_date="",
        name_key=name,  # these names are already normalised
        trade=None,
        container_size=None,
        laden=None,
        cargo=None,
        standard_kind=kind,
        amount=None if amount is None else Decimal(amount),
        amount_max=None if amount_max is None else Decimal(amount_max),
        tiers=(),
    )


def edition(code: str, *lines: PublishedLine) -> PublishedEdition:
    return PublishedEdition(
        edition_code=code,
        version_id=1,
        number=1,
        operator_id=1,
        credit_code="",
        operator_name_zh=code,
        operator_name_en=None,
        operator_kind="terminal",
        port_areas=("南沙港区",),
        port_area="南沙港区",
        complaint_phone="",
        effective_from=date(2018, 1, 1),
        published_at=datetime(2018, 1, 1),
        lines=lines,
        removed=(),
    )


BOX_20 = line("港口作业包干费(20英尺)", "fixed", "560", position=1)
BOX_40 = line("港口作业包干费(40英尺)", "fixed", "860", position=2)
SWAP = line("换单费", "range", "300", "360", position=3)
DOCS = line("单证费", "fixed", "50", position=4)
DUES = line("货物港务费(外贸进口)", "fixed", "34", currency="人民币", position=5)
STORAGE = line("堆存费", "tiers", None, position=6)
TRUCK = line("拖车费", "fixed", "300", position=7)
INSPECTION_CNY = line("查验费", "fixed", "100", position=8)
INSPECTION_USD = line("查验费", "fixed", "20", currency="USD", position=9)
FUMIGATION_TIERS = line("熏蒸费", "tiers", "999", position=10)
FUMIGATION_NONE = line("熏蒸费", "fixed", None, position=11)
FUMIGATION = line("熏蒸费", "fixed", "80", position=12)
FUMIGATION_TEXT = line("熏蒸费", "text", "990", position=13)
TALLY_LINE = line("理货包干费", "fixed", "40", position=14)
SEAL_CAP = line("铅封费", "text", None, position=15, standard="最高30元/个")
TERMINAL_LIST = edition(
    "T-1",
    BOX_20,
    BOX_40,
    SWAP,
    DOCS,
    DUES,
    STORAGE,
    TRUCK,
    INSPECTION_CNY,
    INSPECTION_USD,
    FUMIGATION_TIERS,
    FUMIGATION_NONE,
    FUMIGATION,
    FUMIGATION_TEXT,
    TALLY_LINE,
    SEAL_CAP,
)
AGENCY_LIST = edition("A-1", DOCS)


def charge(fee: str, amount: str, quantity: str = "1", *, operator: str = TERMINAL, on: date = DAY, currency="CNY"):
    return Charge(2, operator, on, fee, Decimal(quantity), Decimal(amount), currency)


def by_operator(charge: Charge) -> PublishedEdition | None | bool:
    return {TERMINAL: TERMINAL_LIST, AGENCY: AGENCY_LIST, OTHER: AGENCY_LIST}.get(charge.operator, False)


def one(item: Charge, edition_for=by_operator) -> Checked:
    (checked,) = check([item], edition_for, REFERENCE).checked
    return checked


def test_at_the_posted_standard_is_listed_with_the_line_allowing_the_most() -> None:
    item = charge("港口作业包干费", "1720", "2")
    assert one(item) == Checked(item, Mark.LISTED, TERMINAL_LIST, BOX_40, Decimal(1720), Decimal(0), "")


def test_a_cent_above_the_posted_standard_is_above_by_that_cent() -> None:
    item = charge("港口作业包干费", "1720.01", "2")
    assert one(item) == Checked(item, Mark.ABOVE, TERMINAL_LIST, BOX_40, Decimal(1720), Decimal("0.01"))


def test_below_the_standard_is_listed_without_excess() -> None:
    item = charge("港口作业包干费", "500")
    assert one(item) == Checked(item, Mark.LISTED, TERMINAL_LIST, BOX_40, Decimal(860))


def test_a_range_is_judged_by_its_maximum() -> None:
    item = charge("换单费", "460")
    assert one(item) == Checked(item, Mark.ABOVE, TERMINAL_LIST, SWAP, Decimal(360), Decimal(100))
    within = charge("换单费", "360")
    assert one(within) == Checked(within, Mark.LISTED, TERMINAL_LIST, SWAP, Decimal(360))


def test_the_allowance_is_the_standard_times_a_decimal_quantity_exactly() -> None:
    item = charge("单证费", "150.0001", "3")
    assert one(item) == Checked(item, Mark.ABOVE, TERMINAL_LIST, DOCS, Decimal(150), Decimal("0.0001"))
    half = charge("港口作业包干费", "2150", "2.5")
    assert one(half) == Checked(half, Mark.LISTED, TERMINAL_LIST, BOX_40, Decimal(2150))


def test_a_name_the_alias_dictionary_knows_is_matched_to_its_canonical_line() -> None:
    item = charge("文件费", "60")
    assert one(item) == Checked(item, Mark.ABOVE, TERMINAL_LIST, DOCS, Decimal(50), Decimal(10))


def test_a_bundle_by_another_name_is_matched_to_its_lines() -> None:
    item = charge("码头作业包干费", "960")
    assert one(item) == Checked(item, Mark.ABOVE, TERMINAL_LIST, BOX_40, Decimal(860), Decimal(100))


def test_a_line_with_a_bracketed_qualifier_is_the_service_and_its_currency_word_is_read() -> None:
    item = charge("货物港务费", "68", "2")
    assert one(item) == Checked(item, Mark.LISTED, TERMINAL_LIST, DUES, Decimal(68))


def test_only_lines_in_the_charges_currency_are_compared() -> None:
    dollars = charge("查验费", "25", currency="USD")
    assert one(dollars) == Checked(dollars, Mark.ABOVE, TERMINAL_LIST, INSPECTION_USD, Decimal(20), Decimal(5))
    yuan = charge("查验费", "100")
    assert one(yuan) == Checked(yuan, Mark.LISTED, TERMINAL_LIST, INSPECTION_CNY, Decimal(100))


def test_only_fixed_and_range_lines_with_an_amount_are_compared() -> None:
    item = charge("熏蒸费", "90")
    assert one(item) == Checked(item, Mark.ABOVE, TERMINAL_LIST, FUMIGATION, Decimal(80), Decimal(10))


def test_a_fee_listed_at_a_cap_is_compared_with_the_cap() -> None:
    """最高30元/个 is no price, but nothing above 30 may be charged: it had been "cannot be checked"."""
    above, within = charge("铅封费", "35"), charge("铅封费", "30")
    assert one(above) == Checked(above, Mark.ABOVE, TERMINAL_LIST, SEAL_CAP, Decimal(30), Decimal(5))
    assert one(within) == Checked(within, Mark.LISTED, TERMINAL_LIST, SEAL_CAP, Decimal(30))


def test_a_listed_fee_without_a_figure_is_unpriced_with_its_first_line() -> None:
    item = charge("堆存费", "5000")
    assert one(item) == Checked(item, Mark.UNPRICED, TERMINAL_LIST, STORAGE, None, Decimal(0))


def test_a_listed_fee_without_a_line_in_the_charges_currency_is_unpriced() -> None:
    item = charge("换单费", "60", currency="USD")
    assert one(item) == Checked(item, Mark.UNPRICED, TERMINAL_LIST, SWAP, None, Decimal(0))


def test_an_unpriced_fee_with_several_lines_shows_the_first() -> None:
    item = charge("熏蒸费", "15", currency="USD")
    assert one(item) == Checked(item, Mark.UNPRICED, TERMINAL_LIST, FUMIGATION_TIERS, None, Decimal(0))


def test_a_fee_not_on_the_list_is_charged_in_excess_entirely() -> None:
    item = charge("打单费", "50")
    assert one(item) == Checked(item, Mark.NOT_LISTED, TERMINAL_LIST, None, None, Decimal(50))


def test_an_unknown_operator_and_a_day_without_a_list_are_said_so() -> None:
    stranger = charge("换单费", "460", operator="不存在的公司")
    assert one(stranger) == Checked(stranger, Mark.UNKNOWN_OPERATOR)
    item = charge("换单费", "460")
    assert one(item, lambda _c: None) == Checked(item, Mark.NO_LIST)
    assert one(item, lambda _c: True) == Checked(item, Mark.NO_LIST)


def test_a_component_charged_beside_its_listed_bundle_is_bundled() -> None:
    item = charge("场内搬移费", "160", "2")
    assert one(item) == Checked(item, Mark.BUNDLED, TERMINAL_LIST, None, None, Decimal(160), "港口作业包干费")


@pytest.mark.parametrize(
    "fee",
    [
        "场内搬移",
        "场内搬移服务费",
        "场内搬移作业费",
        "场内搬移费（40英尺）",
        "Yard Shifting",
        " yard  shifting ",
        "Yard shifting fee",  # an English ending is a fee ending too: a foreign line's invoice is not misread
        "Yard Shifting Charges",
        "移箱费",
    ],
)
def test_a_component_is_known_by_its_stem_english_name_and_aliases(fee) -> None:
    item = charge(fee, "80")
    assert one(item) == Checked(item, Mark.BUNDLED, TERMINAL_LIST, None, None, Decimal(80), "港口作业包干费")


def test_a_component_part_of_a_bundle_only_from_a_day_is_bundled_from_that_day() -> None:
    before = charge("驳船取送费", "70", on=date(2018, 6, 19))
    assert one(before) == Checked(before, Mark.NOT_LISTED, TERMINAL_LIST, None, None, Decimal(70))
    on_the_day = charge("驳船取送费", "70", on=date(2018, 6, 20))
    assert one(on_the_day) == Checked(
        on_the_day, Mark.BUNDLED, TERMINAL_LIST, None, None, Decimal(70), "港口作业包干费"
    )


def test_a_one_letter_stem_never_matches_a_component() -> None:
    item = charge("X费", "30")
    assert one(item) == Checked(item, Mark.NOT_LISTED, TERMINAL_LIST, None, None, Decimal(30))


def test_a_bundle_out_of_effect_bundles_nothing() -> None:
    late = charge("理货单证费", "30")
    assert one(late) == Checked(late, Mark.NOT_LISTED, TERMINAL_LIST, None, None, Decimal(30))
    last_day = charge("理货单证费", "30", on=date(2020, 12, 31))
    assert one(last_day) == Checked(last_day, Mark.BUNDLED, TERMINAL_LIST, None, None, Decimal(30), "理货包干费")


def test_a_charge_naming_the_bundle_itself_is_not_its_own_component() -> None:
    """拖车费 is the trucking package's alias, and its stem 拖车 is also the package's component."""
    item = charge("拖车费", "300")
    assert one(item) == Checked(item, Mark.LISTED, TERMINAL_LIST, TRUCK, Decimal(300))
    part = charge("拖车作业费", "50")
    assert one(part) == Checked(part, Mark.BUNDLED, TERMINAL_LIST, None, None, Decimal(50), "拖车包干费")


def test_a_component_is_bundled_when_the_same_bill_charges_the_bundle() -> None:
    """The agency's list has no package; billing one on the same invoice, same operator and day, makes it charged."""
    package = charge("港口作业包干费", "800", operator=AGENCY)
    part = charge("场内搬移费", "80", operator=AGENCY)
    another_day = charge("场内搬移费", "81", operator=AGENCY, on=date(2026, 11, 19))
    another_operator = charge("场内搬移费", "82", operator=OTHER)
    result = check([package, part, another_day, another_operator], by_operator, REFERENCE)
    assert result.checked == (
        Checked(package, Mark.NOT_LISTED, AGENCY_LIST, None, None, Decimal(800)),
        Checked(part, Mark.BUNDLED, AGENCY_LIST, None, None, Decimal(80), "港口作业包干费"),
        Checked(another_day, Mark.NOT_LISTED, AGENCY_LIST, None, None, Decimal(81)),
        Checked(another_operator, Mark.NOT_LISTED, AGENCY_LIST, None, None, Decimal(82)),
    )


def test_a_bundle_billed_under_its_alias_makes_its_component_bundled() -> None:
    package = charge("码头作业包干费", "800", operator=AGENCY)
    part = charge("移箱费", "80", operator=AGENCY)
    result = check([package, part], by_operator, REFERENCE)
    assert result.checked[1] == Checked(part, Mark.BUNDLED, AGENCY_LIST, None, None, Decimal(80), "港口作业包干费")


def test_without_the_bundle_on_the_list_or_the_bill_a_component_is_judged_on_its_own() -> None:
    item = charge("场内搬移费", "80", operator=AGENCY)
    assert one(item) == Checked(item, Mark.NOT_LISTED, AGENCY_LIST, None, None, Decimal(80))


def test_each_charge_is_judged_whatever_came_before_it() -> None:
    charges = [
        charge("换单费", "1", operator="不存在的公司"),
        charge("打单费", "50"),
        charge("换单费", "460"),
        charge("堆存费", "10"),
        charge("场内搬移费", "160"),
        charge("单证费", "50"),
    ]
    marks = [item.mark for item in check(charges, by_operator, REFERENCE).checked]
    assert marks == [Mark.UNKNOWN_OPERATOR, Mark.NOT_LISTED, Mark.ABOVE, Mark.UNPRICED, Mark.BUNDLED, Mark.LISTED]


def test_a_charge_of_a_day_without_a_list_does_not_stop_the_charges_after_it() -> None:
    before, after = charge("单证费", "50", on=date(2017, 6, 1)), charge("单证费", "50")

    def edition_for(item: Charge) -> PublishedEdition | None:
        return None if item.charged_on < date(2018, 1, 1) else TERMINAL_LIST

    assert check([before, after], edition_for, REFERENCE).checked == (
        Checked(before, Mark.NO_LIST),
        Checked(after, Mark.LISTED, TERMINAL_LIST, DOCS, Decimal(50)),
    )


# --- Result and Checked --------------------------------------------------------------------------------------------


def test_the_excess_is_totalled_per_currency_cny_first() -> None:
    charges = [
        charge("打单费", "7", currency="USD"),
        charge("打单费", "3", currency="AUD"),
        charge("打单费", "50.5"),
        charge("换单费", "460"),
        charge("港口作业包干费", "860"),  # listed: no excess
        charge("查验费", "25", currency="USD"),
    ]
    result = check(charges, by_operator, REFERENCE)
    assert result.totals == (("CNY", Decimal("150.5")), ("AUD", Decimal(3)), ("USD", Decimal(12)))


def test_nothing_over_the_list_totals_nothing() -> None:
    result = check([charge("港口作业包干费", "860"), charge("堆存费", "1")], by_operator, REFERENCE)
    assert result.totals == ()
    assert result.flagged == ()
    assert Result(()).totals == ()


def test_only_not_listed_above_and_bundled_are_flagged() -> None:
    charges = [
        charge("换单费", "1", operator="不存在的公司"),
        charge("打单费", "50"),
        charge("换单费", "460"),
        charge("堆存费", "10"),
        charge("场内搬移费", "160"),
        charge("单证费", "50"),
    ]
    result = check(charges, by_operator, REFERENCE)
    assert [item.flagged for item in result.checked] == [False, True, True, False, True, False]
    assert result.flagged == (result.checked[1], result.checked[2], result.checked[4])
    assert not Checked(charges[0], Mark.NO_LIST).flagged


def test_a_component_of_two_charged_bundles_names_the_first_in_reference_order() -> None:
    yard = BundleComponent("场内搬移", "Yard shifting", "")
    gate = Bundle("GATE", "闸口包干费", "Gate package", "", components=(yard,))
    reference = Reference(bundles=(gate, PORT))
    listing = edition("B-1", line("闸口包干费", "fixed", "100"), BOX_40)
    item = charge("场内搬移费", "80")
    (checked,) = check([item], lambda _c: listing, reference).checked
    assert checked == Checked(item, Mark.BUNDLED, listing, None, None, Decimal(80), "闸口包干费")
