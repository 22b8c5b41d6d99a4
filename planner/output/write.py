"""One entry point that writes every output of a plan into a directory.

Layout of ``out_dir``::

    plan.json              the plan (schema: plan.schema.json, docs/plan-json.md)
    kpis.json              the key figures
    index.html             links to everything below (and backlog.json), with the summary
    routes/<courier>.pdf   route sheet per courier (A4, with hand-over records)
    routes/<courier>.csv   the same as a table (UTF-8 with BOM)
    maps/overview.html     all routes (offline: Leaflet inlined)
    maps/<courier>.html    one map per courier

Everything is first written into a staging directory beside ``out_dir`` and
moved in only when all of it succeeded, so an error never leaves
half-written files in ``out_dir``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

from planner.domain.hours import s_to_hhmm
from planner.journeys import DayWork
from planner.kpis import Kpis, compute_kpis, write_kpis_json
from planner.output import i18n
from planner.output.i18n import Lang, check_lang
from planner.output.itinerary import route_view
from planner.output.maps import Geography, courier_map, overview_map
from planner.output.offline import write_offline
from planner.output.plan_json import write_plan_json
from planner.output.publish import make_staging, merge_into, out_path, remove_staging
from planner.output.sheets_csv import write_route_csv
from planner.output.sheets_pdf import SheetContext, write_route_pdf
from planner.output.summary import summary_rows
from planner.plan import Plan, Route, Unassigned
from planner.problem import Problem

#: Legs left for the next day, written by :func:`planner.pipeline.plan_day` beside the plan.
BACKLOG_FILE = "backlog.json"


@dataclass(frozen=True)
class OutputFiles:
    """Paths of everything :func:`write_outputs` wrote (inside ``out_dir``)."""

    out_dir: Path
    plan_json: Path
    kpis_json: Path
    index_html: Path
    kpis: Kpis
    route_pdfs: dict[str, Path] = field(default_factory=dict)
    route_csvs: dict[str, Path] = field(default_factory=dict)
    overview_map: Path | None = None
    courier_maps: dict[str, Path] = field(default_factory=dict)

    def moved_to(self, new: Path) -> OutputFiles:
        """The same files after their directory ``out_dir`` was moved to ``new``."""
        def move(p: Path) -> Path:
            return new / p.relative_to(self.out_dir)

        return OutputFiles(
            out_dir=new,
            plan_json=move(self.plan_json),
            kpis_json=move(self.kpis_json),
            index_html=move(self.index_html),
            kpis=self.kpis,
            route_pdfs={k: move(v) for k, v in self.route_pdfs.items()},
            route_csvs={k: move(v) for k, v in self.route_csvs.items()},
            overview_map=None if self.overview_map is None else move(self.overview_map),
            courier_maps={k: move(v) for k, v in self.courier_maps.items()},
        )


def file_stem(courier_id: str) -> str:
    """A file-name-safe stem for a courier id (letters, digits, ``-``, ``_``, ``.``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", courier_id).strip("._") or "courier"


def _stems(courier_ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for cid in courier_ids:
        stem = base = file_stem(cid)
        n = 2
        while stem.lower() in used:  # ids differing only by unsafe characters or case
            stem, n = f"{base}-{n}", n + 1
        used.add(stem.lower())
        out[cid] = stem
    return out


def write_outputs(
    problem: Problem,
    plan: Plan,
    out_dir: Path,
    *,
    lang: str = "vi",
    province: str = "",
    geography: Geography | None = None,
    maps: bool = True,
    generated_at: dt.datetime | None = None,
    work: DayWork | None = None,
    produced_by: Mapping[str, Any] | None = None,
) -> OutputFiles:
    """Write plan.json, kpis.json, route sheets, maps and an index into ``out_dir``.

    Parameters
    ----------
    problem, plan
        The day and its plan.
    out_dir
        Target directory, created if missing; files of the same names are replaced.
    lang
        ``"vi"`` (default) or ``"en"`` for sheets, maps and the index.
    province
        Province name shown on every output (the Problem does not carry it).
    geography
        Route shapes, territories and roads for the maps (all optional).
    maps
        Whether to write the HTML maps.
    generated_at
        Time stamp of plan.json (default now); fix it for reproducible files.
    work
        The day's journeys, for the orders' end-to-end figures (None: legs only).
    produced_by
        What made the plan (engine, seed, limits, service times, code version),
        recorded in kpis.json.

    Returns
    -------
    OutputFiles
        The paths written and the KPIs computed.

    Raises
    ------
    ValueError
        On an unknown language.
    KeyError
        If the plan names a courier, site or item that the problem does not have.
    """
    language = check_lang(lang)
    out_dir = out_path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = make_staging(out_dir)
    backlog = BACKLOG_FILE if (out_dir / BACKLOG_FILE).is_file() else None  # linked too
    try:
        files = render_outputs(problem, plan, staging, lang=language, province=province,
                               geography=geography, maps=maps, generated_at=generated_at,
                               backlog=backlog, work=work, produced_by=produced_by)
        merge_into(staging, out_dir)
    finally:
        remove_staging(staging)
    return files.moved_to(out_dir)


def render_outputs(problem: Problem, plan: Plan, d: Path, *, lang: Lang = "vi",
                   province: str = "", geography: Geography | None = None, maps: bool = True,
                   generated_at: dt.datetime | None = None, work: DayWork | None = None,
                   produced_by: Mapping[str, Any] | None = None, kpis: Kpis | None = None,
                   backlog: str | None = None) -> OutputFiles:
    """Write every output into the empty directory ``d`` as it goes (no staging).

    For a caller that stages and swaps the whole directory itself
    (``planner.pipeline.publish``); parameters as :func:`write_outputs`, and
    ``backlog``: the name of the backlog file the caller writes beside them
    (linked from the index); ``kpis``: the day's figures if already computed.
    """
    kpis = kpis or compute_kpis(problem, plan, work)
    files = OutputFiles(
        out_dir=d,
        plan_json=write_plan_json(problem, plan, d / "plan.json", province=province, kpis=kpis,
                                  generated_at=generated_at),
        kpis_json=write_kpis_json(kpis, d / "kpis.json", date=problem.date.isoformat(),
                                  produced_by=produced_by),
        index_html=d / "index.html",
        kpis=kpis,
    )
    stems = _stems([r.courier for r in plan.routes])
    (d / "routes").mkdir(exist_ok=True)
    ctx = SheetContext(lang, i18n.fmt_date(problem.date, lang), province)
    for r in plan.routes:
        view = route_view(problem, r)
        stem = stems[r.courier]
        files.route_pdfs[r.courier] = write_route_pdf(view, d / "routes" / f"{stem}.pdf", ctx)
        files.route_csvs[r.courier] = write_route_csv(view, d / "routes" / f"{stem}.csv", lang)
    if maps:
        (d / "maps").mkdir(exist_ok=True)
        title = " · ".join(x for x in (i18n.text("map.overview", lang), province,
                                        i18n.fmt_date(problem.date, lang)) if x)
        overview = overview_map(problem, plan, lang=lang, geography=geography, title=title,
                                kpis=kpis)
        files = replace(files, overview_map=write_offline(overview, d / "maps" / "overview.html"))
        for r in plan.routes:
            m = courier_map(problem, plan, r.courier, lang=lang, geography=geography)
            files.courier_maps[r.courier] = write_offline(
                m, d / "maps" / f"{stems[r.courier]}.html")
    _write_index(files, problem, plan, lang, province, backlog=backlog)
    return files




def _courier_row(files: OutputFiles, problem: Problem, r: Route, lang: Lang) -> str:
    """One courier's line of the index: times, stops, items, km, fees, postage, remit, links."""
    t = i18n.messages(lang)
    base = files.out_dir
    c = problem.courier(r.courier)
    view = route_view(problem, r)

    def link(p: Path, label: str) -> str:
        return f'<a href="{escape(p.relative_to(base).as_posix())}">{escape(label)}</a>'

    cells = [f"{escape(c.id)} · {escape(c.name)}",
             f"{s_to_hhmm(r.start_s)}–{s_to_hhmm(r.end_s)}", str(len(r.stops)),
             f"{view.picked_up} / {view.delivered}", i18n.fmt_km_lang(r.distance_m, lang),
             i18n.fmt_vnd(view.fee_vnd, lang), i18n.fmt_vnd(view.postage_vnd, lang),
             f"<b>{i18n.fmt_vnd(view.remit_vnd, lang)}</b>",
             link(files.route_pdfs[c.id], "PDF") + " · " + link(files.route_csvs[c.id], "CSV")
             + (" · " + link(files.courier_maps[c.id], t("index.map"))
                if c.id in files.courier_maps else "")]
    return "<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>"


def _why(u: Unassigned, lang: Lang) -> str:
    """An unassigned item's reason and its sentence in ``lang`` (the sentence when known)."""
    return " — ".join(x for x in (i18n.reason(u.reason, lang), i18n.reason_detail(u, lang)) if x)


def _write_index(files: OutputFiles, problem: Problem, plan: Plan, lang: Lang,
                 province: str, *, backlog: str | None = None) -> None:
    """index.html: the map, one line per courier, the figures, and the data files."""
    t = i18n.messages(lang)
    base = files.out_dir

    def link(p: Path, label: str) -> str:
        return f'<a href="{escape(p.relative_to(base).as_posix())}">{escape(label)}</a>'

    rows = "".join(_courier_row(files, problem, r, lang) for r in plan.routes)
    head = "".join(f"<th>{t(k)}</th>" for k in (
        "sheet.courier", "index.start_end", "sheet.stops", "index.items", "sheet.distance",
        "sheet.fees", "index.postage", "index.remit", "index.files"))
    kpi_rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>"
                       for a, b in summary_rows(files.kpis, lang))
    overview = (f"<p>{link(files.overview_map, t('map.overview'))}</p>"
                if files.overview_map else "")
    data = [link(files.plan_json, "plan.json"), link(files.kpis_json, "kpis.json")]
    if backlog:
        data.append(f'<a href="{escape(backlog)}">{escape(backlog)}</a> ({t("index.backlog")})')
    unassigned = "".join(
        f"<li><b>{escape(u.item)}</b> ({escape(i18n.item_kind(problem.item(u.item).kind, lang))}):"
        f" {escape(_why(u, lang))}</li>" for u in plan.unassigned)
    unassigned_part = (f"<h2>{t('map.unassigned')} ({len(plan.unassigned)})</h2>"
                       f"<ul>{unassigned}</ul>" if plan.unassigned else "")
    heading = " · ".join(x for x in (t("index.title"), province,
                                      i18n.fmt_date(problem.date, lang)) if x)
    html = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(heading)}</title>
<style>body{{font:15px/1.5 sans-serif;margin:2em;max-width:75em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25em .6em}}
td:nth-child(n+2){{white-space:nowrap}}th{{background:#f2f2f2;text-align:left}}</style>
</head><body><h1>{escape(heading)}</h1>
<h2>{t("index.maps")}</h2>{overview}
<h2>{t("index.sheets")}</h2>
<table><tr>{head}</tr>{rows}</table>
<h2>{t("kpi.title")}</h2><table>{kpi_rows}</table>
{unassigned_part}
<h2>{t("index.data")}</h2>
<p>{" · ".join(data)}</p>
</body></html>
"""
    files.index_html.write_text(html, encoding="utf-8")
