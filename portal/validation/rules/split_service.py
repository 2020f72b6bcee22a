"""split-service: one service charged twice, as a bundle's component, a second fee or a surcharge.

Three patterns: a component billed beside the bundle that includes it; a second fee for a government item's service
(围油栏布防服务费); a surcharge (夜班费 ...) on a government-priced or government-guided service.

Basis: 交水发〔2018〕77号 (no separate charge for 驳船取送、特殊平舱 outside 港口作业包干费); 交水规〔2019〕2号 (no
disguised increases of government prices); 市场监管总局、交通运输部 港口航运环节乱收费典型案例 (围油栏使用费 split into
围油栏布防服务费; a 夜班费 added to 围油栏使用费). A bundle component's own basis is cited when it has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from portal.validation.context import Context, ParsedLine
from portal.validation.findings import N_, Finding
from portal.validation.model import Bundle, BundleComponent, FeeLine, GovItem, GovStatus, Severity
from portal.validation.names import fee_stem, normalise, without_brackets

CODE = "split-service"
SEVERITY = Severity.ERROR
BASIS = "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例"

# Words stripped from a government item's name to find the service it names (围油栏使用费 -> 围油栏).
ACTION_WORDS = ("使用", "服务", "作业", "操作", "管理")
# Words that, between a government item's root and 费, make a second fee for the same service (围油栏布防服务费).
SERVICE_WORDS = ("布防", "布设", "服务", "操作", "作业", "管理", "使用", "保障", "协调", "维护", "租赁", "调度", "人工")
# Words that make a fee a surcharge (夜班费, 节假日附加费, 加急费).
SURCHARGE_WORDS = ("夜班", "夜间", "加班", "节假日", "节日", "假日", "附加", "加急", "延时", "超时")
MIN_ROOT = 2  # a one-character root would match almost anything

COMPONENT = N_(
    "{item} is part of {bundle}, which this list already charges; it may not be charged again as a separate fee."
)
SECOND_FEE = N_(
    "{item} is a second fee for the service of {gov_item}, a government-priced or government-guided item; "
    "the service may not be split into extra fees."
)
SURCHARGE = N_(
    "{item} adds a surcharge to {gov_item}, a government-priced or government-guided item; "
    "no extra fee may be added to it."
)

_SURCHARGE = re.compile("|".join(SURCHARGE_WORDS))


def root(name: str) -> str:
    """The service a government item's name names: 围油栏使用费 -> 围油栏, 引航(移泊)费 -> 引航; "" when too short."""
    stem = without_brackets(normalise(name)).removesuffix("费")
    for word in ACTION_WORDS:
        if stem.endswith(word) and len(stem) - len(word) >= MIN_ROOT:
            stem = stem.removesuffix(word)
            break
    return stem if len(stem) >= MIN_ROOT else ""


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    """The government items in force on the list's date, as regular expressions over normalised names."""

    by_word: dict[str, GovItem]
    second_fee: re.Pattern[str] | None
    mention: re.Pattern[str] | None

    @classmethod
    def of(cls, ctx: Context) -> _Patterns:
        roots: dict[str, GovItem] = {}
        names: dict[str, GovItem] = {}
        for item in ctx.reference.gov_items:
            if item.status is not GovStatus.IN_FORCE or not item.in_effect(ctx.on):
                continue
            if item_root := root(item.name_zh):
                roots.setdefault(item_root, item)
            for written in (item.name_zh, *item.aliases):
                key = without_brackets(normalise(written))
                if len(key) >= MIN_ROOT:
                    names.setdefault(key, item)
        if not roots:
            return cls({}, None, None)
        second_fee = re.compile(f"(?P<root>{_alternation(list(roots))})(?:{_alternation(list(SERVICE_WORDS))})+费")
        mention = re.compile(_alternation([*roots, *names]))
        return cls({**roots, **names}, second_fee, mention)


def _components(ctx: Context) -> dict[str, tuple[Bundle, BundleComponent]]:
    stems: dict[str, tuple[Bundle, BundleComponent]] = {}
    for bundle in ctx.charged_bundles:
        for component in bundle.components_on(ctx.on):
            for written in (component.name_zh, component.name_en, *component.aliases):
                stem = fee_stem(normalise(written))
                if len(stem) >= MIN_ROOT:
                    stems.setdefault(stem, (bundle, component))
    return stems


@dataclass(frozen=True)
class _NameFacts:
    """What a fee name alone tells this rule; a list repeats its names, so each is looked at once."""

    component: tuple[Bundle, BundleComponent] | None  # the charged bundle part the name names
    second_fee: GovItem | None  # the government item whose service the name charges again
    surcharge: bool  # the name is a surcharge's (夜班费 ...): the line's words may name the item it is added to


def _name_facts(
    parsed: ParsedLine, components: dict[str, tuple[Bundle, BundleComponent]], patterns: _Patterns
) -> _NameFacts:
    stems = (fee_stem(normalise(parsed.line.name)), fee_stem(parsed.name_key))
    component = next((components[stem] for stem in stems if stem in components), None)
    if patterns.second_fee is None or patterns.mention is None:
        return _NameFacts(component, None, False)
    key = without_brackets(normalise(parsed.line.name))
    second = patterns.second_fee.fullmatch(key)
    if second is not None:
        return _NameFacts(component, patterns.by_word[second["root"]], False)
    return _NameFacts(component, None, _SURCHARGE.search(key) is not None)


def _government_finding(parsed: ParsedLine, facts: _NameFacts, patterns: _Patterns) -> Finding | None:
    if facts.second_fee is not None:
        return parsed.finding(CODE, SEVERITY, SECOND_FEE, "name", BASIS, gov_item=facts.second_fee.name_zh)
    if not facts.surcharge or patterns.mention is None:
        return None
    mention = patterns.mention.search(_words_of(parsed.line))
    if mention is None:
        return None
    item = patterns.by_word[mention.group()]
    return parsed.finding(CODE, SEVERITY, SURCHARGE, "name", BASIS, gov_item=item.name_zh)


def _words_of(line: FeeLine) -> str:
    """The line's name, conditions, service content and remarks normalised as one text, as normalise() makes of
    them joined by spaces: it drops every space, and no character composes or folds with a space beside it, so the
    text is each part's normalised text in turn (each looked up once: a list repeats its contents and remarks)."""
    return "".join(map(normalise, (line.name, line.conditions, line.service_content, line.remarks)))


def check(ctx: Context) -> Iterator[Finding]:
    components = _components(ctx)
    patterns = _Patterns.of(ctx)
    names: dict[str, _NameFacts] = {}
    for parsed in ctx.lines:
        name = parsed.line.name
        if parsed.bundles or parsed.gov_retired is not None or not name.strip():
            continue
        facts = names.get(name)
        if facts is None:
            facts = names[name] = _name_facts(parsed, components, patterns)
        if facts.component is not None:
            bundle, component = facts.component
            basis = component.basis or bundle.basis or BASIS
            yield parsed.finding(CODE, SEVERITY, COMPONENT, "name", basis, bundle=bundle.name_zh)
        elif not parsed.gov_in_force and (facts.second_fee is not None or facts.surcharge):  # else: no finding
            finding = _government_finding(parsed, facts, patterns)
            if finding is not None:
                yield finding
