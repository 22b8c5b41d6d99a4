"""Route sheet as PDF (A4): what a courier carries for the day.

Page one on: the header (courier, vehicle, date, post office), the day's
totals, then one block per stop in order (time, site, address, contact,
items with tracking codes, fee and postage to collect, fees to hand over, the
cash on board after the stop, a signature box), with the lunch break in its
place, and the cash to remit at the post office at the end. After the
itinerary, one hand-over record (biên bản giao nhận, DOMAIN.md 3.2 steps 6–7)
per agency visit, listing its tracking codes and the fees handed over with the
dossiers, with signature boxes for both parties. Personal data (citizens' names and
phones) appears only here, on the sheet of the courier who meets them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from planner.domain.hours import s_to_hhmm
from planner.output import i18n
from planner.output.fonts import register_fonts
from planner.output.i18n import Lang
from planner.output.itinerary import RouteView, StopView
from planner.plan import Action

MARGIN = 14 * mm
WIDTH = A4[0] - 2 * MARGIN
SIGN_W = 38 * mm
NUM_W = 16 * mm
GRID = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef2f6")
LUNCH = colors.HexColor("#fff4d6")
#: A stop with more item lines than this lists them below its block, in a table that
#: may run over several pages (a single table row cannot be split across pages).
INLINE_LINES = 18


@dataclass(frozen=True)
class SheetContext:
    """What a sheet shows that is not in the route: language, date and province labels."""

    lang: Lang
    date_label: str
    province: str


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    base = ParagraphStyle("base", fontName=regular, fontSize=9, leading=11.5)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "title": ParagraphStyle("title", parent=base, fontName=bold, fontSize=17, leading=21),
        "h2": ParagraphStyle("h2", parent=base, fontName=bold, fontSize=11, leading=14),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "num": ParagraphStyle("num", parent=base, fontName=bold, fontSize=14, leading=17,
                              alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text, style)


def _e(text: str) -> str:
    return escape(text)


def _header(view: RouteView, ctx: SheetContext, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    lang, c = ctx.lang, view.courier
    t = i18n.messages(lang)
    phone = f" · {_e(c.phone)}" if c.phone else ""
    cells = [
        [f"<b>{t('sheet.courier')}:</b> {_e(c.name)} ({_e(c.id)}){phone}",
         f"<b>{t('sheet.date')}:</b> {_e(ctx.date_label)}"],
        [f"<b>{t('sheet.vehicle')}:</b> {i18n.vehicle(c.vehicle, lang)}",
         f"<b>{t('sheet.post_office')}:</b> {_e(view.start_site.name)}"],
        [f"<b>{t('sheet.province')}:</b> {_e(ctx.province)}",
         f"<b>{t('sheet.shift')}:</b> {c.shift}"],
    ]
    info = Table([[_p(a, st["base"]), _p(b, st["base"])] for a, b in cells],
                 colWidths=[WIDTH * 0.55, WIDTH * 0.45])
    info.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    title = Table([[_p(t("sheet.title"), st["title"])]], colWidths=[WIDTH])
    return [title, Spacer(1, 1 * mm), info, Spacer(1, 2 * mm),
            _totals(view, lang, st), Spacer(1, 3 * mm)]


def _totals(view: RouteView, lang: Lang, st: dict[str, ParagraphStyle]) -> Table:
    r = view.route
    t = i18n.messages(lang)
    parts = [
        f"<b>{t('sheet.distance')}:</b> {i18n.fmt_km_lang(r.distance_m, lang)}",
        f"<b>{t('sheet.hours')}:</b> {s_to_hhmm(r.start_s)}–{s_to_hhmm(r.end_s)} "
        f"({i18n.fmt_hours(r.duration_s)} h)",
        f"<b>{t('sheet.stops')}:</b> {len(view.stops)}",
        f"<b>{t('sheet.items')}:</b> {t('sheet.picked_up')} {view.picked_up}, "
        f"{t('sheet.delivered')} {view.delivered}",
        f"<b>{t('sheet.fees')}:</b> {i18n.fmt_vnd(view.fee_vnd, lang)}",
        f"<b>{t('sheet.postage')}:</b> {i18n.fmt_vnd(view.postage_vnd, lang)}",
        f"<b>{t('sheet.fees_handed')}:</b> {i18n.fmt_vnd(view.fee_handed_vnd, lang)}",
        f"<b>{t('sheet.remit')}:</b> {i18n.fmt_vnd(view.remit_vnd, lang)}",
    ]
    box = Table([[_p(f"<b>{t('sheet.totals')}</b> — " + " · ".join(parts), st["base"])]],
                colWidths=[WIDTH])
    box.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), SHADE),
                             ("BOX", (0, 0), (-1, -1), 0.5, GRID)]))
    return box


def _band(text: str, st: dict[str, ParagraphStyle], colour: Any) -> Table:
    band = Table([[_p(text, st["base"])]], colWidths=[WIDTH])
    band.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), colour),
                              ("BOX", (0, 0), (-1, -1), 0.5, GRID)]))
    return band


def _items_table(sv: StopView, lang: Lang, st: dict[str, ParagraphStyle],
                 width: float = WIDTH - NUM_W - SIGN_W - 4 * mm) -> Table:
    t = i18n.messages(lang)
    rows = [[_p(f"<b>{t(k)}</b>", st["small"]) for k in
             ("sheet.action", "sheet.tracking", "sheet.kind", "sheet.cash")]]
    for li in sv.lines:
        fee = "<br/>".join(
            f"{t(key)} {i18n.fmt_vnd(amount, lang)}" for key, amount in
            (("sheet.line_fee", li.fee_vnd), ("sheet.line_postage", li.postage_vnd),
             ("sheet.line_taken", li.fee_taken_vnd), ("sheet.line_handed", li.fee_handed_vnd))
            if amount)
        kind = i18n.item_kind(li.kind, lang) + (f" — {_e(li.procedure)}" if li.procedure else "")
        if li.attempt:
            kind += f" <b>({i18n.text('sheet.attempt', lang, n=li.attempt)})</b>"
        if li.not_before_s is not None:
            kind += f" <b>({t('sheet.not_before')} {s_to_hhmm(li.not_before_s)})</b>"
        rows.append([_p(f"<b>{i18n.action(li.action, lang)}</b>", st["small"]),
                     _p(_e(li.tracking_code), st["small"]), _p(kind, st["small"]),
                     _p(f"<b>{fee}</b>", st["small"])])
    table = Table(rows, colWidths=[width * 0.14, width * 0.28, width * 0.30, width * 0.28],
                  repeatRows=1)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.5, GRID),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return table


def _cash_lines(sv: StopView, lang: Lang, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Fee and postage collected, fees handed to the agency, cash on board after the stop."""
    t = i18n.messages(lang)
    moves = [f"{t(key)}: {i18n.fmt_vnd(amount, lang)}" for key, amount in
             (("sheet.fee_collect", sv.fee_vnd), ("sheet.postage_collect", sv.postage_vnd),
              ("sheet.fee_take", sv.fee_taken_vnd), ("sheet.fee_hand", sv.fee_handed_vnd))
             if amount]
    if not moves and not sv.cash_after_vnd:
        return []
    moves.append(f"{t('sheet.cash_after')}: {i18n.fmt_vnd(sv.cash_after_vnd, lang)}")
    return [_p("<b>" + " · ".join(moves) + "</b>", st["base"])]


def _stop_block(sv: StopView, lang: Lang, st: dict[str, ParagraphStyle]) -> Table:
    t = i18n.messages(lang)
    s = sv.stop
    when = (f"<b>{t('sheet.arrival')} {s_to_hhmm(s.arrival_s)}</b> · {t('sheet.service')} "
            f"{s_to_hhmm(s.start_s)}–{s_to_hhmm(s.departure_s)}")
    for w in sv.waits:
        if w.duration_s >= 60 and w.cause is not None:
            when += (f" <b>({i18n.wait_cause(w.cause, lang)} "
                     f"{s_to_hhmm(w.start_s)}–{s_to_hhmm(w.end_s)})</b>")
    body: list[Flowable] = [
        _p(f"<b>{_e(sv.site.name)}</b> — {i18n.site_kind(sv.site.kind, lang)}", st["base"]),
        _p(f"{t('sheet.address')}: {_e(sv.site.address or '—')}", st["base"]),
        _p(when, st["base"]),
    ]
    if sv.site.opening and not sv.is_citizen:
        hours = i18n.opening(sv.site.opening, lang)
        body.append(_p(f"{t('sheet.opening')}: {hours}", st["small"]))
    for name, phone in sv.contacts():
        body.append(_p(f"{t('sheet.contact')}: <b>{_e(name or '—')}</b> · "
                       f"{t('sheet.phone')}: <b>{_e(phone or '—')}</b>", st["base"]))
    body += _cash_lines(sv, lang, st)
    if len(sv.lines) <= INLINE_LINES:
        body.append(_items_table(sv, lang, st))
    else:
        body.append(_p(f"<b>{t('sheet.items')}: {len(sv.lines)} ↓</b>", st["base"]))
    number = [_p(str(sv.number), st["num"]), _p(s_to_hhmm(s.arrival_s), st["center"])]
    sign = [_p(f"<b>{t('sheet.signature')}</b>", st["small"]),
            _p(t("sheet.signature_hint"), st["small"])]
    block = Table([[number, body, sign]], colWidths=[NUM_W, WIDTH - NUM_W - SIGN_W, SIGN_W],
                  minRowHeights=[24 * mm])
    block.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID),
                               ("LINEAFTER", (0, 0), (1, 0), 0.6, GRID),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (0, 0), SHADE)]))
    return block


def _itinerary(view: RouteView, lang: Lang, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Depot bands, stops, and between them the lunch and the waits on the road, in time order."""
    r = view.route
    t = i18n.messages(lang)
    out: list[Flowable] = [_band(f"<b>{t('sheet.start_depot')} {s_to_hhmm(r.start_s)}</b> — "
                                 f"{_e(view.start_site.name)}", st, SHADE)]
    bands: list[tuple[int, Table]] = [
        (w.start_s, _band(f"<b>{t('sheet.waiting')} {s_to_hhmm(w.start_s)}–"
                          f"{s_to_hhmm(w.end_s)}</b> — {i18n.wait_cause(w.cause, lang)}",
                          st, SHADE))
        for w in view.road_waits if w.cause is not None and w.duration_s >= 60]
    if r.lunch_start_s is not None and r.lunch_end_s is not None:
        bands.append((r.lunch_start_s, _band(f"<b>{t('sheet.lunch')} {s_to_hhmm(r.lunch_start_s)}"
                                             f"–{s_to_hhmm(r.lunch_end_s)}</b>", st, LUNCH)))
    bands.sort(key=lambda b: b[0])
    if not view.stops:
        out.append(_p(t("sheet.no_stops"), st["base"]))
    for sv in view.stops:
        while bands and bands[0][0] < sv.stop.arrival_s:
            out += [Spacer(1, 1.5 * mm), bands.pop(0)[1]]
        out += [Spacer(1, 1.5 * mm), KeepTogether(_stop_block(sv, lang, st))]
        if len(sv.lines) > INLINE_LINES:
            out.append(_items_table(sv, lang, st, width=WIDTH - 4 * mm))
    for _, band in bands:
        out += [Spacer(1, 1.5 * mm), band]
    remit = (f" — <b>{t('sheet.remit')}: {i18n.fmt_vnd(view.remit_vnd, lang)}</b>"
             if view.remit_vnd else "")
    out += [Spacer(1, 1.5 * mm),
            _band(f"<b>{t('sheet.end_depot')} {s_to_hhmm(r.end_s)}</b> — "
                  f"{_e(view.end_site.name)}{remit}", st, SHADE)]
    return out


def _handover(sv: StopView, ctx: SheetContext, st: dict[str, ParagraphStyle]) -> KeepTogether:
    lang = ctx.lang
    t = i18n.messages(lang)
    parts: list[Flowable] = [
        _p(t("handover.title"), st["h2"]),
        _p(f"{t('sheet.stop')} {sv.number} — <b>{_e(sv.site.name)}</b>", st["base"]),
        _p(_e(t("handover.intro", date=ctx.date_label, site=sv.site.name)), st["base"]),
        _p(t("handover.times", planned=s_to_hhmm(sv.handover_s if sv.handover_s is not None
                                                  else sv.stop.start_s)), st["base"]),
        Spacer(1, 1.5 * mm),
    ]
    for act, key in ((Action.DELIVERY, "handover.handed"), (Action.PICKUP, "handover.received")):
        lines = [li for li in sv.lines if li.action is act]
        if not lines:
            continue
        rows = [[_p(f"<b>{x}</b>", st["small"]) for x in
                 ("#", t("sheet.tracking"), t("sheet.kind"), t("handover.ok"))]]
        rows += [[_p(str(i), st["small"]), _p(_e(li.tracking_code), st["small"]),
                  _p(i18n.item_kind(li.kind, lang), st["small"]), _p("☐", st["small"])]
                 for i, li in enumerate(lines, start=1)]
        table = Table(rows, colWidths=[10 * mm, WIDTH * 0.35, WIDTH * 0.3, WIDTH * 0.25],
                      repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, GRID),
                                   ("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
        parts += [_p(f"<b>{t(key)}</b>", st["base"]), table,
                  _p(t("handover.count", n=len(lines)), st["base"]), Spacer(1, 1.5 * mm)]
        with_fee = [li for li in lines if li.fee_handed_vnd]
        if with_fee:  # the fees go with their dossiers (QĐ 45 art. 7(5))
            parts += [_p(t("handover.fee", amount=i18n.fmt_vnd(sv.fee_handed_vnd, lang),
                           n=len(with_fee)), st["base"]), Spacer(1, 1.5 * mm)]
    sign = Table([[_p(f"<b>{t('handover.courier_side')}</b><br/>{t('sheet.signature_hint')}",
                      st["center"]),
                   _p(f"<b>{t('handover.agency_side')}</b><br/>{t('sheet.signature_hint')}",
                      st["center"])]],
                 colWidths=[WIDTH / 2, WIDTH / 2], rowHeights=[28 * mm])
    sign.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID),
                              ("LINEAFTER", (0, 0), (0, 0), 0.6, GRID),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    parts += [sign, Spacer(1, 6 * mm)]
    return KeepTogether(parts)


def _footer(view: RouteView, ctx: SheetContext) -> Callable[[Canvas, Any], None]:
    regular, _ = register_fonts()
    note = i18n.text("sheet.confidential", ctx.lang)
    label = f"{i18n.text('sheet.title', ctx.lang)} · {view.courier.name} · {ctx.date_label}"

    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.setFillColor(colors.HexColor("#52606d"))
        canvas.drawString(MARGIN, 8 * mm, f"{label} · {note}")
        canvas.drawRightString(A4[0] - MARGIN, 8 * mm,
                               f"{i18n.text('sheet.page', ctx.lang)} {doc.page}")
        canvas.restoreState()

    return draw


def write_route_pdf(view: RouteView, path: Path, ctx: SheetContext) -> Path:
    """Write one courier's route sheet (A4 PDF, fonts embedded) and return its path."""
    st = _styles()
    story: list[Flowable] = [*_header(view, ctx, st), *_itinerary(view, ctx.lang, st)]
    agency_stops = [sv for sv in view.stops if sv.is_agency]
    if agency_stops:
        story.append(PageBreak())
        story += [_handover(sv, ctx, st) for sv in agency_stops]
    title = f"{i18n.text('sheet.title', ctx.lang)} {view.courier.name} {ctx.date_label}"
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=16 * mm, title=title,
                            author="BCCI Dispatch", invariant=True)
    footer = _footer(view, ctx)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path
