"""Everything that shows a plan: plan.json, KPIs, route sheets, maps, the summary.

Reads only :class:`planner.problem.Problem` and :class:`planner.plan.Plan`
(never the solver); what they do not hold (province name, route shapes,
territories, roads) comes in as explicit arguments. Vietnamese by default.
"""

from planner.output.i18n import LANGS, Lang
from planner.output.itinerary import ItemLine, RouteView, StopView, route_view
from planner.output.maps import Geography, RouteShapes, courier_map, overview_map
from planner.output.offline import external_references, render_offline, write_offline
from planner.output.plan_json import (
    PLAN_SCHEMA_VERSION,
    CourierRef,
    ItemRef,
    PlanDocument,
    SiteRef,
    plan_from_dict,
    plan_schema,
    plan_to_dict,
    read_plan_json,
    write_plan_json,
)
from planner.output.sheets_csv import CSV_COLUMNS, csv_header, write_route_csv
from planner.output.sheets_pdf import SheetContext, write_route_pdf
from planner.output.summary import print_summary, summary_rows, summary_table
from planner.output.write import OutputFiles, write_outputs

__all__ = [
    "CSV_COLUMNS",
    "LANGS",
    "PLAN_SCHEMA_VERSION",
    "CourierRef",
    "Geography",
    "ItemLine",
    "ItemRef",
    "Lang",
    "OutputFiles",
    "PlanDocument",
    "RouteShapes",
    "RouteView",
    "SheetContext",
    "SiteRef",
    "StopView",
    "courier_map",
    "csv_header",
    "external_references",
    "overview_map",
    "plan_from_dict",
    "plan_schema",
    "plan_to_dict",
    "print_summary",
    "read_plan_json",
    "render_offline",
    "route_view",
    "summary_rows",
    "summary_table",
    "write_offline",
    "write_outputs",
    "write_plan_json",
    "write_route_csv",
    "write_route_pdf",
]
