"""The sentences of unassigned reasons and check-mode violations, in Vietnamese and English.

A reason's detail is a message key and string arguments (times as HH:MM, ids,
amounts in VND as integers), built by :mod:`planner.solver.reasons` and
:mod:`planner.solver.check`; this catalogue turns them into a sentence in one
language. The solver renders English for ``Unassigned.detail`` (``plan.json``'s
``detail``, read by the API); every output renders the dispatcher's language
through :func:`planner.output.i18n.reason_detail` (Vietnamese by default).

Kept apart from :mod:`planner.output.i18n` because the solver needs it and must
not load the output package (maps, PDF). Arguments whose name says what they
hold are formatted per language: ``cls`` (an item class; the ordinary class is
``""``), ``*_vnd`` (money), ``action`` (pickup / delivery), ``windows`` /
``window`` / ``session`` (time windows, empty: none), ``*_s`` (seconds, one
decimal), ``loads`` (see
:func:`loads_arg`), ``problem`` (the key of a nested violation, whose arguments
sit beside the outer ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

ReasonLang = Literal["vi", "en"]
Args = tuple[tuple[str, str], ...]

_EN: dict[str, str] = {
    # unassigned reasons (planner.solver.reasons)
    "no_skill": "no courier has the skill(s) {skills}",
    "over_capacity": ("quantity {quantity} (cash {cash_vnd}) exceeds every skilled courier's "
                      "capacity or cash limit"),
    "release_after_window": ("result released at {at}, after its window {windows}: collected on "
                             "the next working day, when it is out already"),
    "release_late_for_window": ("result released at {at}, too late for its window {windows}: "
                                "collected on the next working day, when it is out already"),
    "release_late_today": ("result released at {at}, too late to be served today: collected on "
                           "the next working day, when it is out already"),
    "alone": "no courier can serve it in time even alone ({courier}: {problem})",
    "alone_too_small": ("no courier can serve it in time even alone ({courier}: {problem}; "
                        "too small or over the cash limit: {too_small})"),
    "incompatible": ("class '{cls}' may not share a vehicle with what every courier who could "
                     "take it carries ({loads}{more})"),
    "idle_couriers": ("couriers: {couriers} could serve it alone, but using another courier "
                      "costs more than leaving it"),
    "not_probed": ("couriers' capacity or time: not probed further (the {limit_s} s budget for "
                   "reasons ran out)"),
    "probe_found": "none found by the probe: the search stopped before inserting it",
    "full": "capacity: every courier who could take it is full when passing by",
    "busy_or_classes": ("time or classes: every courier who could take it is busy when it can be "
                        "served, or carries a class that may not ride with '{cls}'"),
    "busy": "time: every courier who could take it is busy when it can be served",
    # check-mode violations met when an item is served alone (planner.solver.check)
    "v.window": ("{action} of {item} at {site} cannot start before {at}, after its windows "
                 "{windows}"),
    "v.window_visit": ("{action} of {item} at {site} cannot start before {at}, after its windows "
                       "{windows} (the visit of {visit_min} min and the hand-over of "
                       "{service_min} min must fit in one session of {session})"),
    "v.lunch": "lunch starts at {at}, after its window {window}",
    "v.shift": "route {start}–{end} is outside the shift {shift}",
    "v.lunch_after_shift": "lunch ends after the shift",
    "v.max_duration": "route lasts {duration_s} s, more than the maximum {max_s} s",
    "v.max_distance": "route is {distance_m} m, more than the maximum {max_m} m",
    "v.capacity": "{dimension} load {amount} exceeds the capacity {cap} after {action} of {item}",
    "v.cash": "cash carried {cash_vnd} exceeds the limit {limit_vnd} after {action} of {item}",
    "v.other": "a rule is broken ({kind})",
    # pieces
    "load": "{courier} carries {what}",
    "load_class": "{n} {cls} item{s}",
    "more": " and {n} more",
    "none": "none",
}

_VI: dict[str, str] = {
    "no_skill": "không bưu tá nào có kỹ năng {skills}",
    "over_capacity": ("số lượng {quantity} (tiền {cash_vnd}) vượt tải trọng hoặc hạn mức tiền "
                      "của mọi bưu tá đủ điều kiện"),
    "release_after_window": ("kết quả trả lúc {at}, sau khung giờ {windows}: nhận vào ngày làm "
                             "việc tiếp theo, khi kết quả đã có sẵn"),
    "release_late_for_window": ("kết quả trả lúc {at}, quá muộn cho khung giờ {windows}: nhận "
                                "vào ngày làm việc tiếp theo, khi kết quả đã có sẵn"),
    "release_late_today": ("kết quả trả lúc {at}, quá muộn để phục vụ trong ngày: nhận vào ngày "
                           "làm việc tiếp theo, khi kết quả đã có sẵn"),
    "alone": ("không bưu tá nào phục vụ kịp, kể cả khi chỉ làm riêng việc này "
              "({courier}: {problem})"),
    "alone_too_small": ("không bưu tá nào phục vụ kịp, kể cả khi chỉ làm riêng việc này "
                        "({courier}: {problem}; xe quá nhỏ hoặc vượt hạn mức tiền: {too_small})"),
    "incompatible": ("loại '{cls}' không được đi chung xe với hàng mà mọi bưu tá có thể nhận "
                     "đang chở ({loads}{more})"),
    "idle_couriers": ("bưu tá {couriers} có thể phục vụ riêng, nhưng dùng thêm một bưu tá tốn "
                      "kém hơn để lại"),
    "not_probed": ("năng lực hoặc thời gian của bưu tá: không thử thêm (đã hết {limit_s} giây "
                   "dành cho việc tìm lý do)"),
    "probe_found": "thử chèn thấy vẫn xếp được: việc tìm kiếm dừng trước khi xếp bưu gửi này",
    "full": "tải trọng: mọi bưu tá có thể nhận đều đã đầy khi đi qua",
    "busy_or_classes": ("thời gian hoặc loại hàng: mọi bưu tá có thể nhận đều bận vào lúc phục "
                        "vụ được, hoặc đang chở loại không được đi chung với '{cls}'"),
    "busy": "thời gian: mọi bưu tá có thể nhận đều bận vào lúc phục vụ được",
    "v.window": ("{action} {item} tại {site} không thể bắt đầu trước {at}, ngoài khung giờ "
                 "{windows}"),
    "v.window_visit": ("{action} {item} tại {site} không thể bắt đầu trước {at}, ngoài khung giờ "
                       "{windows} (vào cơ quan {visit_min} phút và giao nhận {service_min} phút "
                       "phải nằm trong một buổi làm việc {session})"),
    "v.lunch": "nghỉ trưa bắt đầu lúc {at}, sau khung giờ {window}",
    "v.shift": "lộ trình {start}–{end} nằm ngoài ca làm việc {shift}",
    "v.lunch_after_shift": "giờ nghỉ trưa kết thúc sau ca làm việc",
    "v.max_duration": "lộ trình kéo dài {duration_s} giây, quá mức tối đa {max_s} giây",
    "v.max_distance": "lộ trình dài {distance_m} m, quá mức tối đa {max_m} m",
    "v.capacity": "tải {dimension} {amount} vượt sức chứa {cap} sau khi {action} {item}",
    "v.cash": "tiền mang theo {cash_vnd} vượt hạn mức {limit_vnd} sau khi {action} {item}",
    "v.other": "vi phạm quy tắc ({kind})",
    "load": "{courier} chở {what}",
    "load_class": "{n} bưu gửi loại {cls}",
    "more": " và {n} bưu tá khác",
    "none": "không có",
}

_CLASS: dict[ReasonLang, str] = {"vi": "thường", "en": "ordinary"}
_ACTION: dict[ReasonLang, dict[str, str]] = {
    "vi": {"pickup": "nhận", "delivery": "giao"},
    "en": {"pickup": "pickup", "delivery": "delivery"},
}
#: Check-mode rule names as the Vietnamese ``v.other`` sentence shows them.
_KIND_VI: dict[str, str] = {
    "unknown": "mã không có trong dữ liệu", "window": "khung giờ", "lunch": "nghỉ trưa",
    "shift": "ca làm việc", "max_duration": "thời gian tối đa",
    "max_distance": "quãng đường tối đa",
    "capacity": "tải trọng", "cash": "hạn mức tiền", "skill": "kỹ năng",
    "incompatible": "loại không được đi chung", "precedence": "thứ tự nhận trước giao sau",
    "same_route": "nhận và giao trên cùng lộ trình", "on_board": "bưu gửi đang trên xe",
    "duplicate": "trùng lặp", "deadline": "hạn",
}
_WINDOWS = ("windows", "window", "session")


def keys() -> frozenset[str]:
    """Every message key of the catalogue (the same in both languages)."""
    return frozenset(_EN)


def class_label(item_class: str, lang: ReasonLang) -> str:
    """An item class as a reason shows it (the ordinary class: ``thường`` / ``ordinary``)."""
    return item_class or _CLASS[lang]


def loads_arg(loads: Mapping[str, Mapping[str, int]]) -> str:
    """The ``loads`` argument: per courier, items per class, as ``C1=KT1:2,:1;C2=:3``."""
    return ";".join(f"{c}=" + ",".join(f"{k}:{n}" for k, n in sorted(load.items()))
                    for c, load in loads.items())


def _loads(value: str, lang: ReasonLang) -> str:
    catalogue = _VI if lang == "vi" else _EN
    parts = []
    for entry in filter(None, value.split(";")):
        courier, _, classes = entry.partition("=")
        what = []
        for pair in filter(None, classes.split(",")):
            cls, _, n = pair.rpartition(":")
            what.append(catalogue["load_class"].format(n=n, cls=class_label(cls, lang),
                                                       s="s" if int(n) > 1 else ""))
        parts.append(catalogue["load"].format(courier=courier, what=", ".join(what)))
    return "; ".join(parts)


def _money(value: str, lang: ReasonLang) -> str:
    n = int(value)
    return f"{n:,}".replace(",", ".") + " ₫" if lang == "vi" else f"{n:,} VND"


def _arg(name: str, value: str, lang: ReasonLang) -> str:  # noqa: PLR0911 - one per kind
    catalogue = _VI if lang == "vi" else _EN
    if name == "cls":
        return class_label(value, lang)
    if name.endswith("_vnd"):
        return _money(value, lang)
    if name == "action":
        return _ACTION[lang].get(value, value)
    if name in _WINDOWS:
        return value or catalogue["none"]
    if name == "loads":
        return _loads(value, lang)
    if name == "more":
        return catalogue["more"].format(n=value) if value else ""
    if name == "kind" and lang == "vi":
        return _KIND_VI.get(value, value)
    if name.endswith("_s"):
        return _seconds(value, lang)
    return value


def _seconds(value: str, lang: ReasonLang) -> str:
    """Seconds to one decimal, with a decimal comma in Vietnamese ("0,8")."""
    try:
        text = f"{float(value):.1f}"
    except ValueError:
        return value
    return text.replace(".", ",") if lang == "vi" else text


def sentence(key: str, args: Args | Mapping[str, str], lang: ReasonLang = "vi") -> str:
    """The sentence of message ``key`` with ``args`` in ``lang``.

    Raises
    ------
    KeyError
        If the catalogue has no such key or the sentence needs an argument
        ``args`` lacks (a bug, caught by the tests).
    """
    given = dict(args)
    catalogue = _VI if lang == "vi" else _EN
    fields = {n: _arg(n, v, lang) for n, v in given.items() if n != "problem"}
    if "problem" in given:
        fields["problem"] = sentence(given["problem"], {n: v for n, v in given.items()
                                                        if n != "problem"}, lang)
    return catalogue[key].format(**fields)
