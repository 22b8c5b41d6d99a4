"""Message catalogue and number formats shared by route sheets, maps and the summary.

Vietnamese first (the couriers' and dispatchers' language), English as an
option. One dictionary per language keeps the wording of every output in one
place; :func:`text` fails loudly on an unknown key so a missing translation is
caught by the tests, not shown to a courier as a raw key.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from planner.domain.fleet import VehicleType
from planner.domain.hours import TimeWindow, windows_text
from planner.domain.items import ItemKind
from planner.domain.sites import SiteKind
from planner.plan import Action, Unassigned, UnassignedReason
from planner.reason_text import sentence
from planner.timeline import WaitCause

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

_VI: dict[str, str] = {
    # route sheet
    "sheet.title": "PHIẾU LỘ TRÌNH",
    "sheet.courier": "Bưu tá",
    "sheet.vehicle": "Phương tiện",
    "sheet.date": "Ngày",
    "sheet.post_office": "Bưu cục",
    "sheet.province": "Tỉnh",
    "sheet.shift": "Ca làm việc",
    "sheet.totals": "Tổng cộng",
    "sheet.stops": "Điểm dừng",
    "sheet.stop": "Điểm",
    "sheet.arrival": "Giờ đến",
    "sheet.service": "Phục vụ",
    "sheet.departure": "Giờ đi",
    "sheet.waiting": "Chờ",
    "sheet.not_before": "từ",
    "sheet.attempt": "phát lại lần {n}",
    "sheet.opening": "Giờ mở cửa",
    "sheet.closed": "đóng cửa",
    "sheet.address": "Địa chỉ",
    "sheet.contact": "Người liên hệ",
    "sheet.phone": "Điện thoại",
    "sheet.fee_collect": "Thu phí",
    "sheet.postage_collect": "Thu cước",
    "sheet.cash": "Tiền",
    "sheet.line_fee": "Thu phí",
    "sheet.line_postage": "Thu cước",
    "sheet.line_handed": "Nộp cơ quan",
    "sheet.line_taken": "Nhận phí để nộp cơ quan",
    "sheet.fee_hand": "Nộp phí cho cơ quan",
    "sheet.fee_take": "Nhận phí kèm hồ sơ để nộp cơ quan",
    "sheet.cash_after": "Tiền mang theo sau điểm này",
    "sheet.remit": "Nộp tại bưu cục khi về",
    "sheet.postage": "Cước thu",
    "sheet.fees_handed": "Phí nộp cơ quan",
    "sheet.signature": "Ký nhận",
    "sheet.signature_hint": "(ký, ghi rõ họ tên)",
    "sheet.lunch": "Nghỉ trưa",
    "sheet.start_depot": "Xuất phát",
    "sheet.end_depot": "Về bưu cục",
    "sheet.distance": "Quãng đường",
    "sheet.hours": "Thời gian",
    "sheet.items": "Bưu gửi",
    "sheet.picked_up": "nhận",
    "sheet.delivered": "giao",
    "sheet.fees": "Phí, lệ phí thu hộ",
    "sheet.page": "Trang",
    "sheet.tracking": "Số hiệu",
    "sheet.kind": "Loại",
    "sheet.action": "Việc",
    "sheet.no_stops": "Không có điểm dừng.",
    "sheet.confidential": "Có thông tin cá nhân: chỉ bưu tá được phân công giữ phiếu này.",
    "handover.title": "BIÊN BẢN GIAO NHẬN",
    "handover.intro": "Hôm nay, ngày {date}, tại {site}, hai bên giao nhận các bưu gửi sau:",
    "handover.times": ("Giờ giao nhận dự kiến: {planned} · <b>Giờ ký thực tế: ....... giờ "
                       "....... phút</b> (ghi khi ký)"),
    "handover.handed": "Bưu tá giao cho cơ quan",
    "handover.received": "Bưu tá nhận từ cơ quan",
    "handover.count": "Tổng số: {n} bưu gửi.",
    "handover.courier_side": "Nhân viên bưu chính",
    "handover.agency_side": "Cán bộ tiếp nhận",
    "handover.ok": "Đủ / nguyên niêm phong",
    "handover.fee": "Phí, lệ phí bưu tá nộp kèm hồ sơ: <b>{amount}</b> ({n} hồ sơ).",
    # csv columns
    "csv.stop_no": "STT",
    "csv.arrival": "Giờ đến",
    "csv.start": "Bắt đầu",
    "csv.departure": "Giờ đi",
    "csv.site_id": "Mã điểm",
    "csv.site_name": "Tên điểm",
    "csv.site_kind": "Loại điểm",
    "csv.address": "Địa chỉ",
    "csv.action": "Việc",
    "csv.tracking_code": "Số hiệu",
    "csv.item_kind": "Loại bưu gửi",
    "csv.fee_vnd": "Thu phí (VND)",
    "csv.postage_vnd": "Thu cước (VND)",
    "csv.fee_handed_vnd": "Nộp phí cho cơ quan (VND)",
    "csv.cash_after_vnd": "Tiền mang theo sau điểm (VND)",
    "csv.contact_name": "Người liên hệ",
    "csv.contact_phone": "Điện thoại",
    "csv.wait_min": "Phút chờ",
    "csv.wait_cause": "Lý do chờ",
    # map
    "map.overview": "Bản đồ lộ trình",
    "map.routes": "Lộ trình",
    "map.depots": "Bưu cục",
    "map.territories": "Địa bàn bưu cục",
    "map.roads": "Đường",
    "map.unassigned": "Bưu gửi chưa phân công",
    "map.eta": "Dự kiến đến",
    "map.legend": "Chú giải",
    "map.generated_roads": "Đường trong tỉnh mẫu là dữ liệu sinh tự động",
    "map.home_post_office": "Bưu cục phụ trách",
    "map.stop": "Điểm dừng",
    "map.reason": "Lý do",
    "map.tiles": "Bản đồ nền trực tuyến",
    "map.panel": "Bảng điều phối",
    "map.search": "Tìm số hiệu",
    "map.search_hint": "VD: HS2611230012VN",
    "map.not_found": "Không thấy số hiệu này trên bản đồ",
    "map.figures": "Số liệu trong ngày",
    "map.couriers": "Bưu tá có lộ trình",
    "map.idle": "Bưu tá không có lộ trình",
    "map.deadline": "hạn",
    "map.stops_items": "{stops} điểm, {items} bưu gửi",
    # summary / KPIs
    "kpi.title": "Tóm tắt kế hoạch",
    "kpi.metric": "Chỉ số",
    "kpi.value": "Giá trị",
    "kpi.couriers_used": "Số bưu tá",
    "kpi.distance_km": "Tổng quãng đường (km)",
    "kpi.courier_hours": "Giờ công bưu tá",
    "kpi.items_served": "Bưu gửi đã giao",
    "kpi.items_total": "Tổng số bưu gửi",
    "kpi.unassigned": "Chưa phân công",
    "kpi.on_time_share": "Tỷ lệ đúng hạn (đến hạn hôm nay)",
    "kpi.cutoff_late_visits": "Lượt giao sau giờ chốt 15:00",
    "kpi.cutoff_late_min": "Tổng phút trễ giờ chốt",
    "kpi.wait_min": "Thời gian chờ (phút)",
    "kpi.items_per_hour": "Bưu gửi / giờ công",
    "kpi.fees_vnd": "Phí, lệ phí thu hộ (VND)",
    "kpi.postage_vnd": "Cước thu (VND)",
    "kpi.fees_handed_vnd": "Phí, lệ phí đã nộp cơ quan (VND)",
    "kpi.cash_peak_vnd": "Tiền mang theo cao nhất (VND)",
    "kpi.cash_to_remit_vnd": "Tiền nộp bưu cục (VND)",
    "kpi.orders_finished": "Bưu gửi đến nơi hôm nay (trọn hành trình)",
    "kpi.orders_on_time": "  · đúng hạn J+n",
    "kpi.orders_late": "  · trễ hạn J+n",
    "kpi.orders_in_flight": "Bưu gửi còn trên đường (đã quá hạn)",
    "kpi.legs_served": "Chặng đã giao hôm nay",
    "kpi.drive_h": "Giờ di chuyển",
    "kpi.service_h": "Giờ làm thủ tục tại điểm",
    "kpi.wait_h": "Giờ chờ",
    "kpi.lunch_h": "Giờ nghỉ trưa",
    "kpi.utilisation": "Sử dụng ca làm việc",
    "kpi.agency_visits": "Lượt đến cơ quan (lặp lại)",
    "kpi.handover_records": "Biên bản giao nhận",
    "kpi.filing": "Hồ sơ nộp: trước 11:30 / 13:00–15:00 / sau 15:00",
    "kpi.cost_vnd": "Chi phí đội xe",
    "kpi.na": "—",
    "index.title": "Kết quả lập kế hoạch",
    "index.sheets": "Phiếu lộ trình",
    "index.maps": "Bản đồ",
    "index.data": "Dữ liệu",
    "index.map": "Bản đồ",
    "index.start_end": "Giờ đi – về",
    "index.items": "Nhận / giao",
    "index.remit": "Tiền nộp lại",
    "index.postage": "Cước",
    "index.files": "Tệp",
    "index.backlog": "bưu gửi chuyển sang ngày làm việc tiếp theo",
    # progress and run messages (terminal)
    "run.legs": "Chia chặng hôm nay",
    "run.matrix": "Ma trận thời gian di chuyển ({vehicle})",
    "run.solve": "Tối ưu lộ trình",
    "run.shapes": "Vẽ đường đi theo đường bộ",
    "run.outputs": "Ghi phiếu lộ trình, bản đồ, plan.json",
    "run.date_moved": ("Ngày {requested} không phải ngày làm việc ({why}); "
                       "lập kế hoạch cho ngày {date}."),
    "run.not_today": "Bưu gửi chưa có chặng hôm nay: {n}",
    "run.backlog_in": "Tồn từ hôm trước: {n} bưu gửi",
    "run.outcomes_in": "Kết quả hôm trước: {n} không thành công ({reattempts} phát lại sau "
                       "giấy mời, {returns} hoàn trả cơ quan, {undone} làm lại)",
    "run.backlog_out": "Chuyển sang ngày làm việc tiếp theo: {n} bưu gửi ({overdue} quá hạn)",
    "run.outputs_at": "Kết quả đã ghi vào {path}",
    "run.open": "Mở {path} trong trình duyệt để xem bản đồ và phiếu lộ trình.",
    "run.weekend": "cuối tuần",
    "run.exported": "Đã ghi ngày sinh mẫu thành tệp đầu vào trong {path}: {files}",
    "scenarios.task_done": "  xong   {name} (lượt {seed}) trong {s} giây",
    "scenarios.task_failed": "  [red]lỗi[/red]    {name} (lượt {seed}): {error}",
    "scenarios.interrupted": "Đã dừng: không ghi tệp nào",
    "scenarios.intro": ("{n} kịch bản × {seeds} lượt mô phỏng (seed) × {days} ngày làm việc "
                        "từ {start} trên {where}"),
    "scenarios.title": ("{days} ngày làm việc × {seeds} lượt mô phỏng: trung bình ± độ lệch "
                        "chuẩn qua các lượt"),
    "scenarios.col.scenario": "Kịch bản",
    "scenarios.col.couriers": "Bưu tá/ngày",
    "scenarios.col.km": "Km/ngày",
    "scenarios.col.courier_hours": "Giờ bưu tá/ngày",
    "scenarios.col.cost": "Chi phí (nghìn đồng/ngày)",
    "scenarios.col.on_time": "Đúng hạn (%)",
    "scenarios.col.delay_days": "Trễ bình quân / phân vị 95 (ngày làm việc)",
    "scenarios.col.delay_hours": "Trễ bình quân / phân vị 95 (giờ làm việc)",
    "scenarios.col.filed": "Nộp trước giờ chốt (%)",
    "scenarios.col.failed_deliveries": "Phát không thành công/ngày",
    "scenarios.col.unassigned": "Chưa phân công/ngày",
    "scenarios.failed": "lỗi",
    "scenarios.n_failed": "{n} lỗi",
    "scenarios.vs": "  {name} so với {ref}: {versus}",
    "scenarios.error": "  [red]{name} lỗi[/red] ({error})",
    "scenarios.reference": "tham chiếu",
    "scenarios.versus": ("chi phí {cost} đồng/ngày ({cost_noise}); đúng hạn {on_time} điểm % "
                         "({on_time_noise})"),
    "charts.cost.title": "Chi phí và tỷ lệ đúng hạn (vạch: ± độ lệch chuẩn qua các lượt)",
    "charts.cost.x": "chi phí mỗi ngày làm việc (đồng)",
    "charts.cost.y": "đơn trong thời hạn luật định (%)",
    "charts.cost.front": "biên Pareto (không kịch bản nào vừa rẻ hơn vừa đúng hạn hơn)",
    "charts.cost.scenarios": "kịch bản",
    "charts.delays.title": "Trễ sau thời hạn luật định (đơn đã có kết quả trong kỳ)",
    "charts.delays.y": "tỷ lệ đơn (%)",
    "charts.delays.on_time": "đúng hạn",
    "charts.delays.late": "trễ {n} ngày",
    "charts.delays.late_one": "trễ {n} ngày",
    "charts.delays.late_more": "trễ từ {n} ngày",
    "charts.unassigned.title": "Bưu gửi chưa phân công mỗi ngày, theo lý do",
    "charts.unassigned.y": "bưu gửi/ngày",
    "charts.none": "không có",
    "charts.workload.title": "Khối lượng việc mỗi ngày trong kỳ (trung bình qua các lượt)",
    "charts.workload.couriers": "bưu tá làm việc",
    "charts.workload.hours": "giờ bưu tá",
    "charts.html.title": "Kịch bản",
    "scenarios.noise.clear": "rõ rệt",
    "scenarios.noise.within_noise": "trong mức nhiễu",
    "scenarios.noise.spread_unknown": "chưa biết độ phân tán",
    "scenarios.csv.mean": "{label}: trung bình",
    "scenarios.csv.std": "{label}: độ lệch chuẩn",
    "scenarios.csv.scenario": "Kịch bản",
    "scenarios.csv.runs": "Số lượt mô phỏng",
    "scenarios.csv.failed": "Số lượt lỗi",
    "scenarios.csv.couriers": "Bưu tá/ngày",
    "scenarios.csv.vans": "Xe tải nhỏ/ngày",
    "scenarios.csv.km": "Km/ngày",
    "scenarios.csv.courier_hours": "Giờ bưu tá/ngày",
    "scenarios.csv.cost_vnd": "Chi phí (đồng/ngày)",
    "scenarios.csv.on_time_share": "Tỷ lệ đúng hạn",
    "scenarios.csv.delay_mean_days": "Trễ bình quân (ngày làm việc)",
    "scenarios.csv.delay_p95_days": "Trễ p95 (ngày làm việc)",
    "scenarios.csv.delay_mean_hours": "Trễ bình quân (giờ làm việc)",
    "scenarios.csv.delay_p95_hours": "Trễ p95 (giờ làm việc)",
    "scenarios.csv.filed_before_cutoff_share": "Tỷ lệ hồ sơ nộp trước giờ chốt",
    "scenarios.csv.trunk_carried": "Bưu gửi qua tuyến trục/ngày",
    "scenarios.csv.backlog_end": "Bưu gửi tồn sau ngày cuối",
    "scenarios.csv.failed_deliveries": "Phát không thành công/ngày",
    "scenarios.csv.orders_decided": "Bưu gửi đã rõ kết quả",
    "scenarios.csv.orders_open": "Bưu gửi chưa đến hạn",
    "scenarios.csv.unassigned_per_day": "Chưa phân công/ngày theo lý do",
    "scenarios.csv.filing_profile_per_day": "Hồ sơ nộp/ngày theo khung giờ",
    "scenarios.csv.versus_first": "So với kịch bản đầu",
    "scenarios.csv.errors": "Lỗi",
    "scenarios.days.scenario": "Kịch bản",
    "scenarios.days.seed": "Lượt mô phỏng (seed)",
    "scenarios.days.date": "Ngày",
    "scenarios.days.couriers_used": "Bưu tá",
    "scenarios.days.vans_used": "Xe tải nhỏ",
    "scenarios.days.distance_km": "Km",
    "scenarios.days.courier_hours": "Giờ bưu tá",
    "scenarios.days.cost_vnd": "Chi phí (đồng)",
    "scenarios.days.legs": "Chặng đã lập",
    "scenarios.days.served": "Chặng đã phục vụ",
    "scenarios.days.unassigned": "Chưa phân công",
    "scenarios.days.backlog": "Bưu gửi chuyển ngày sau",
    "scenarios.days.trunk_carried": "Bưu gửi qua tuyến trục",
    "scenarios.days.trunk_cost_vnd": "Chi phí tuyến trục (đồng)",
    "scenarios.days.dossiers_filed": "Hồ sơ đã nộp",
    "scenarios.days.filed_before_cutoff": "Hồ sơ nộp trước giờ chốt",
    "scenarios.days.failed_deliveries": "Phát không thành công",
    "national.intro": ("{n} tỉnh, thành phố × {seeds} lượt mô phỏng (seed) × {days} ngày làm "
                       "việc từ {start} trên {where}"),
    "national.local": "một cụm cục bộ {workers} tiến trình",
    "national.wall": "Thời gian chạy {s} giây",
    "national.title": ("Chạy toàn quốc: {n} tỉnh, thành phố, {days} ngày làm việc × {seeds} lượt "
                       "mô phỏng; mỗi ngày, trung bình qua các lượt"),
    "national.col.province": "Tỉnh/thành phố",
    "national.col.orders": "Bưu gửi/ngày",
    "national.col.couriers": "Bưu tá",
    "national.col.km": "Km",
    "national.col.cost": "Chi phí (nghìn đồng)",
    "national.col.on_time": "Đúng hạn (%)",
    "national.col.p95": "Trễ phân vị 95 (giờ làm việc)",
    "national.col.unassigned": "Chưa phân công/ngày",
    "national.failed": "lỗi",
    "national.n_failed": "{n} lỗi",
    "national.total": "Toàn quốc",
    "national.csv.code": "Mã tỉnh",
    "national.csv.province": "Tỉnh/thành phố",
    "national.csv.communes": "Số xã/phường",
    "national.csv.orders_per_day": "Bưu gửi/ngày",
    "national.csv.runs": "Số lượt mô phỏng",
    "national.csv.failed": "Số lượt lỗi",
    "national.csv.couriers": "Bưu tá",
    "national.csv.km": "Km",
    "national.csv.cost_vnd": "Chi phí (đồng)",
    "national.csv.on_time_share": "Tỷ lệ đúng hạn",
    "national.csv.delay_p95_hours": "Trễ p95 (giờ làm việc)",
    "national.csv.unassigned": "Chưa phân công/ngày",
    "national.csv.unassigned_reason": "Chưa phân công: {label}",
    "national.csv.errors": "Lỗi",
}

_EN: dict[str, str] = {
    "sheet.title": "ROUTE SHEET",
    "sheet.courier": "Courier",
    "sheet.vehicle": "Vehicle",
    "sheet.date": "Date",
    "sheet.post_office": "Post office",
    "sheet.province": "Province",
    "sheet.shift": "Shift",
    "sheet.totals": "Totals",
    "sheet.stops": "Stops",
    "sheet.stop": "Stop",
    "sheet.arrival": "Arrival",
    "sheet.service": "Service",
    "sheet.departure": "Departure",
    "sheet.waiting": "Wait",
    "sheet.not_before": "from",
    "sheet.attempt": "delivery attempt {n}",
    "sheet.opening": "Opening hours",
    "sheet.closed": "closed",
    "sheet.address": "Address",
    "sheet.contact": "Contact",
    "sheet.phone": "Phone",
    "sheet.fee_collect": "Collect fee",
    "sheet.postage_collect": "Collect postage",
    "sheet.cash": "Cash",
    "sheet.line_fee": "Fee",
    "sheet.line_postage": "Postage",
    "sheet.line_handed": "To agency",
    "sheet.line_taken": "Fee for the agency",
    "sheet.fee_hand": "Hand fees to the agency",
    "sheet.fee_take": "Take fees with the dossiers, for the agency",
    "sheet.cash_after": "Cash on board after this stop",
    "sheet.remit": "Remit at the post office on return",
    "sheet.postage": "Postage collected",
    "sheet.fees_handed": "Fees handed to agencies",
    "sheet.signature": "Signature",
    "sheet.signature_hint": "(sign and print name)",
    "sheet.lunch": "Lunch break",
    "sheet.start_depot": "Start",
    "sheet.end_depot": "Back at post office",
    "sheet.distance": "Distance",
    "sheet.hours": "Time",
    "sheet.items": "Items",
    "sheet.picked_up": "picked up",
    "sheet.delivered": "delivered",
    "sheet.fees": "Government fees collected",
    "sheet.page": "Page",
    "sheet.tracking": "Tracking code",
    "sheet.kind": "Kind",
    "sheet.action": "Task",
    "sheet.no_stops": "No stops.",
    "sheet.confidential": "Contains personal data: only the assigned courier keeps this sheet.",
    "handover.title": "HAND-OVER RECORD",
    "handover.intro": "On {date}, at {site}, the parties hand over the following items:",
    "handover.times": ("Planned hand-over: {planned} · <b>Signed at: ....... h ....... min</b> "
                       "(filled in when signing)"),
    "handover.handed": "Courier hands over to the agency",
    "handover.received": "Courier receives from the agency",
    "handover.count": "Total: {n} item(s).",
    "handover.courier_side": "Postal worker",
    "handover.agency_side": "Receiving officer",
    "handover.ok": "Complete / seals intact",
    "handover.fee": ("Government fees handed over with the dossiers: <b>{amount}</b> "
                     "({n} dossier(s))."),
    "csv.stop_no": "stop_no",
    "csv.arrival": "arrival",
    "csv.start": "start",
    "csv.departure": "departure",
    "csv.site_id": "site_id",
    "csv.site_name": "site_name",
    "csv.site_kind": "site_kind",
    "csv.address": "address",
    "csv.action": "action",
    "csv.tracking_code": "tracking_code",
    "csv.item_kind": "item_kind",
    "csv.fee_vnd": "fee_vnd",
    "csv.postage_vnd": "postage_vnd",
    "csv.fee_handed_vnd": "fee_handed_vnd",
    "csv.cash_after_vnd": "cash_after_vnd",
    "csv.contact_name": "contact_name",
    "csv.contact_phone": "contact_phone",
    "csv.wait_min": "wait_min",
    "csv.wait_cause": "wait_cause",
    "map.overview": "Route map",
    "map.routes": "Routes",
    "map.depots": "Post offices",
    "map.territories": "Post office territories",
    "map.roads": "Roads",
    "map.unassigned": "Unassigned items",
    "map.eta": "ETA",
    "map.legend": "Legend",
    "map.generated_roads": "Roads in the sample province are generated",
    "map.home_post_office": "Home post office",
    "map.stop": "Stop",
    "map.reason": "Reason",
    "map.tiles": "Online basemap",
    "map.panel": "Dispatch panel",
    "map.search": "Find a tracking code",
    "map.search_hint": "e.g. HS2611230012VN",
    "map.not_found": "This tracking code is not on the map",
    "map.figures": "The day's figures",
    "map.couriers": "Couriers with a route",
    "map.idle": "Couriers without a route",
    "map.deadline": "due",
    "map.stops_items": "{stops} stops, {items} items",
    "kpi.title": "Plan summary",
    "kpi.metric": "Metric",
    "kpi.value": "Value",
    "kpi.couriers_used": "Couriers used",
    "kpi.distance_km": "Distance (km)",
    "kpi.courier_hours": "Courier-hours",
    "kpi.items_served": "Items delivered",
    "kpi.items_total": "Items in the problem",
    "kpi.unassigned": "Unassigned",
    "kpi.on_time_share": "Within deadline (due today or earlier)",
    "kpi.cutoff_late_visits": "Hand-overs after the 15:00 cut-off",
    "kpi.cutoff_late_min": "Minutes past the cut-off",
    "kpi.wait_min": "Waiting time (min)",
    "kpi.items_per_hour": "Items per courier-hour",
    "kpi.fees_vnd": "Government fees collected (VND)",
    "kpi.postage_vnd": "Postage collected (VND)",
    "kpi.fees_handed_vnd": "Fees handed to agencies (VND)",
    "kpi.cash_peak_vnd": "Cash on board, peak (VND)",
    "kpi.cash_to_remit_vnd": "Cash to remit at post offices (VND)",
    "kpi.orders_finished": "Items at their destination today (end to end)",
    "kpi.orders_on_time": "  · within J+n",
    "kpi.orders_late": "  · past J+n",
    "kpi.orders_in_flight": "Items still under way (already overdue)",
    "kpi.legs_served": "Legs delivered today",
    "kpi.drive_h": "Driving hours",
    "kpi.service_h": "Hours of formalities at stops",
    "kpi.wait_h": "Waiting hours",
    "kpi.lunch_h": "Lunch hours",
    "kpi.utilisation": "Use of shifts",
    "kpi.agency_visits": "Agency visits (repeat)",
    "kpi.handover_records": "Hand-over records (biên bản)",
    "kpi.filing": "Dossiers filed: before 11:30 / 13:00–15:00 / after 15:00",
    "kpi.cost_vnd": "Fleet cost",
    "kpi.na": "—",
    "index.title": "Planning results",
    "index.sheets": "Route sheets",
    "index.maps": "Maps",
    "index.data": "Data",
    "index.map": "Map",
    "index.start_end": "Out – back",
    "index.items": "Picked up / delivered",
    "index.remit": "Cash to remit",
    "index.postage": "Postage",
    "index.files": "Files",
    "index.backlog": "items left for the next working day",
    "run.legs": "Cutting today's legs",
    "run.matrix": "Travel-time matrix ({vehicle})",
    "run.solve": "Optimising routes",
    "run.shapes": "Drawing routes along the roads",
    "run.outputs": "Writing route sheets, maps, plan.json",
    "run.date_moved": "{requested} is not a working day ({why}); planning {date} instead.",
    "run.not_today": "Items with no leg today: {n}",
    "run.backlog_in": "Carried over from before: {n} items",
    "run.outcomes_in": "Earlier outcomes: {n} failed ({reattempts} to try again after the "
                       "invitation, {returns} back to the agency, {undone} to redo)",
    "run.backlog_out": "Left for the next working day: {n} items ({overdue} overdue)",
    "run.outputs_at": "Outputs written to {path}",
    "run.open": "Open {path} in a browser for the maps and route sheets.",
    "run.weekend": "weekend",
    "run.exported": "The generated day's input files are in {path}: {files}",
    "scenarios.task_done": "  done   {name} (seed {seed}) in {s} s",
    "scenarios.task_failed": "  [red]failed[/red] {name} (seed {seed}): {error}",
    "scenarios.interrupted": "interrupted: nothing written",
    "scenarios.intro": ("{n} scenario(s) × {seeds} seed(s) × {days} working day(s) from {start} "
                        "on {where}"),
    "scenarios.title": "{days} working days × {seeds} seed(s): mean ± sd over seeds",
    "scenarios.col.scenario": "scenario",
    "scenarios.col.couriers": "couriers /day",
    "scenarios.col.km": "km /day",
    "scenarios.col.courier_hours": "courier-h /day",
    "scenarios.col.cost": "cost kVND /day",
    "scenarios.col.on_time": "on time %",
    "scenarios.col.delay_days": "delay wd mean / p95",
    "scenarios.col.delay_hours": "delay wh mean / p95",
    "scenarios.col.filed": "filed by cut-off %",
    "scenarios.col.failed_deliveries": "failed deliveries /day",
    "scenarios.col.unassigned": "unassigned /day",
    "scenarios.failed": "failed",
    "scenarios.n_failed": "{n} failed",
    "scenarios.vs": "  {name} vs {ref}: {versus}",
    "scenarios.error": "  [red]{name} failed[/red] ({error})",
    "scenarios.reference": "reference",
    "scenarios.versus": ("cost {cost} VND/day ({cost_noise}); on time {on_time} pt "
                         "({on_time_noise})"),
    "charts.cost.title": "Cost against on-time share (bars: ± sd over seeds)",
    "charts.cost.x": "cost per working day (VND)",
    "charts.cost.y": "orders within their legal deadline (%)",
    "charts.cost.front": "Pareto front (no other scenario both cheaper and more on time)",
    "charts.cost.scenarios": "scenarios",
    "charts.delays.title": "Delay after the legal deadline (orders decided in the horizon)",
    "charts.delays.y": "share of orders (%)",
    "charts.delays.on_time": "on time",
    "charts.delays.late": "{n} days late",
    "charts.delays.late_one": "{n} day late",
    "charts.delays.late_more": "{n}+ days late",
    "charts.unassigned.title": "Unassigned items per day, by reason",
    "charts.unassigned.y": "items per day",
    "charts.none": "none",
    "charts.workload.title": "Daily workload over the horizon (mean over seeds)",
    "charts.workload.couriers": "couriers used",
    "charts.workload.hours": "courier-hours",
    "charts.html.title": "Scenarios",
    "scenarios.noise.clear": "clear",
    "scenarios.noise.within_noise": "within noise",
    "scenarios.noise.spread_unknown": "spread unknown",
    "scenarios.csv.mean": "{column}_mean",
    "scenarios.csv.std": "{column}_std",
    "scenarios.csv.scenario": "scenario",
    "scenarios.csv.runs": "runs",
    "scenarios.csv.failed": "failed",
    "scenarios.csv.couriers": "couriers",
    "scenarios.csv.vans": "vans",
    "scenarios.csv.km": "km",
    "scenarios.csv.courier_hours": "courier_hours",
    "scenarios.csv.cost_vnd": "cost_vnd",
    "scenarios.csv.on_time_share": "on_time_share",
    "scenarios.csv.delay_mean_days": "delay_mean_days",
    "scenarios.csv.delay_p95_days": "delay_p95_days",
    "scenarios.csv.delay_mean_hours": "delay_mean_hours",
    "scenarios.csv.delay_p95_hours": "delay_p95_hours",
    "scenarios.csv.filed_before_cutoff_share": "filed_before_cutoff_share",
    "scenarios.csv.trunk_carried": "trunk_carried",
    "scenarios.csv.backlog_end": "backlog_end",
    "scenarios.csv.failed_deliveries": "failed_deliveries",
    "scenarios.csv.orders_decided": "orders_decided",
    "scenarios.csv.orders_open": "orders_open",
    "scenarios.csv.unassigned_per_day": "unassigned_per_day",
    "scenarios.csv.filing_profile_per_day": "filing_profile_per_day",
    "scenarios.csv.versus_first": "versus_first",
    "scenarios.csv.errors": "errors",
    "scenarios.days.scenario": "scenario",
    "scenarios.days.seed": "seed",
    "scenarios.days.date": "date",
    "scenarios.days.couriers_used": "couriers_used",
    "scenarios.days.vans_used": "vans_used",
    "scenarios.days.distance_km": "distance_km",
    "scenarios.days.courier_hours": "courier_hours",
    "scenarios.days.cost_vnd": "cost_vnd",
    "scenarios.days.legs": "legs",
    "scenarios.days.served": "served",
    "scenarios.days.unassigned": "unassigned",
    "scenarios.days.backlog": "backlog",
    "scenarios.days.trunk_carried": "trunk_carried",
    "scenarios.days.trunk_cost_vnd": "trunk_cost_vnd",
    "scenarios.days.dossiers_filed": "dossiers_filed",
    "scenarios.days.filed_before_cutoff": "filed_before_cutoff",
    "scenarios.days.failed_deliveries": "failed_deliveries",
    "national.intro": ("{n} province(s) × {seeds} seed(s) × {days} working day(s) from {start} "
                       "on {where}"),
    "national.local": "a local cluster of {workers} processes",
    "national.wall": "wall time {s} s",
    "national.title": ("National run: {n} province(s), {days} working day(s) × {seeds} seed(s), "
                       "per day, mean over seeds"),
    "national.col.province": "province",
    "national.col.orders": "orders /day",
    "national.col.couriers": "couriers",
    "national.col.km": "km",
    "national.col.cost": "cost kVND",
    "national.col.on_time": "on time %",
    "national.col.p95": "p95 delay wh",
    "national.col.unassigned": "unassigned /day",
    "national.failed": "failed",
    "national.n_failed": "{n} failed",
    "national.total": "National total",
    "national.csv.code": "code",
    "national.csv.province": "province",
    "national.csv.communes": "communes",
    "national.csv.orders_per_day": "orders_per_day",
    "national.csv.runs": "runs",
    "national.csv.failed": "failed",
    "national.csv.couriers": "couriers",
    "national.csv.km": "km",
    "national.csv.cost_vnd": "cost_vnd",
    "national.csv.on_time_share": "on_time_share",
    "national.csv.delay_p95_hours": "delay_p95_hours",
    "national.csv.unassigned": "unassigned",
    "national.csv.unassigned_reason": "unassigned_{code}",
    "national.csv.errors": "errors",
}

_SITE_KIND: dict[Lang, dict[SiteKind, str]] = {
    "vi": {
        SiteKind.PROVINCIAL_POST_OFFICE: "Bưu điện tỉnh",
        SiteKind.DISTRICT_POST_OFFICE: "Bưu cục",
        SiteKind.POST_POINT: "Điểm BĐVHX",
        SiteKind.COMMUNE_ONE_STOP: "Bộ phận một cửa xã",
        SiteKind.DISTRICT_ONE_STOP: "Bộ phận một cửa huyện",
        SiteKind.SERVICE_CENTER: "Trung tâm PVHCC tỉnh",
        SiteKind.CITIZEN: "Công dân",
    },
    "en": {
        SiteKind.PROVINCIAL_POST_OFFICE: "Provincial post office",
        SiteKind.DISTRICT_POST_OFFICE: "Post office",
        SiteKind.POST_POINT: "Post point",
        SiteKind.COMMUNE_ONE_STOP: "Commune one-stop shop",
        SiteKind.DISTRICT_ONE_STOP: "District one-stop shop",
        SiteKind.SERVICE_CENTER: "Public service centre",
        SiteKind.CITIZEN: "Citizen",
    },
}

_ITEM_KIND: dict[Lang, dict[ItemKind, str]] = {
    "vi": {
        ItemKind.DOSSIER: "Hồ sơ",
        ItemKind.RESULT: "Kết quả",
        ItemKind.APPOINTMENT_SLIP: "Giấy hẹn",
        ItemKind.TRANSFER: "Hồ sơ liên thông",
        ItemKind.RETURN: "Kết quả hoàn trả",
    },
    "en": {
        ItemKind.DOSSIER: "Dossier",
        ItemKind.RESULT: "Result",
        ItemKind.APPOINTMENT_SLIP: "Appointment slip",
        ItemKind.TRANSFER: "Inter-agency dossier",
        ItemKind.RETURN: "Returned result",
    },
}

_ACTION: dict[Lang, dict[Action, str]] = {
    "vi": {Action.PICKUP: "Nhận", Action.DELIVERY: "Giao"},
    "en": {Action.PICKUP: "Pick up", Action.DELIVERY: "Hand over"},
}

_VEHICLE: dict[Lang, dict[VehicleType, str]] = {
    "vi": {VehicleType.MOTORBIKE: "Xe máy", VehicleType.CAR: "Ô tô", VehicleType.VAN: "Xe tải nhỏ"},
    "en": {VehicleType.MOTORBIKE: "Motorbike", VehicleType.CAR: "Car", VehicleType.VAN: "Van"},
}

_REASON: dict[Lang, dict[UnassignedReason, str]] = {
    "vi": {
        UnassignedReason.NO_SKILLED_COURIER: "Không có bưu tá đủ điều kiện",
        UnassignedReason.INCOMPATIBLE: "Không được đi chung xe",
        UnassignedReason.OVER_CAPACITY: "Vượt tải trọng",
        UnassignedReason.OUTSIDE_WINDOWS: "Ngoài khung giờ phục vụ",
        UnassignedReason.FLEET_FULL: "Hết năng lực trong ngày",
        UnassignedReason.LOCKED_OUT: "Lộ trình đã khóa",
    },
    "en": {
        UnassignedReason.NO_SKILLED_COURIER: "No courier with the required skills",
        UnassignedReason.INCOMPATIBLE: "Incompatible with every vehicle",
        UnassignedReason.OVER_CAPACITY: "Over capacity",
        UnassignedReason.OUTSIDE_WINDOWS: "Outside every time window",
        UnassignedReason.FLEET_FULL: "Fleet full today",
        UnassignedReason.LOCKED_OUT: "Locked route",
    },
}


_WAIT: dict[Lang, dict[WaitCause, str]] = {
    "vi": {
        WaitCause.OFFICE_CLOSED: "chờ mở cửa",
        WaitCause.NOT_RELEASED: "chờ cơ quan trả kết quả",
        WaitCause.APPOINTMENT: "chờ giờ hẹn của công dân",
        WaitCause.LUNCH_NOT_OPEN: "chờ đến giờ nghỉ trưa",
        WaitCause.OTHER: "thời gian trống",
    },
    "en": {
        WaitCause.OFFICE_CLOSED: "waiting for the office to open",
        WaitCause.NOT_RELEASED: "waiting for the result's release",
        WaitCause.APPOINTMENT: "waiting for the citizen's appointment",
        WaitCause.LUNCH_NOT_OPEN: "waiting for the lunch window",
        WaitCause.OTHER: "idle",
    },
}


def check_lang(lang: str) -> Lang:
    """Return ``lang`` as a :data:`Lang`, or raise ValueError naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"unknown language '{lang}' (choose one of {', '.join(LANGS)})")
    return lang


def text(key: str, lang: Lang = "vi", **fields: object) -> str:
    """The message ``key`` in ``lang``, with ``{fields}`` filled in.

    Raises
    ------
    KeyError
        If the catalogue has no such message (a bug, caught by the tests).
    """
    catalogue = _VI if check_lang(lang) == "vi" else _EN
    message = catalogue[key]
    return message.format(**fields) if fields else message


def site_kind(kind: SiteKind, lang: Lang = "vi") -> str:
    """Human name of a site kind."""
    return _SITE_KIND[check_lang(lang)][kind]


def item_kind(kind: ItemKind, lang: Lang = "vi") -> str:
    """Human name of an item kind (hồ sơ, kết quả, giấy hẹn)."""
    return _ITEM_KIND[check_lang(lang)][kind]


def action(act: Action, lang: Lang = "vi") -> str:
    """Human name of what happens to an item at a stop."""
    return _ACTION[check_lang(lang)][act]


def vehicle(kind: VehicleType, lang: Lang = "vi") -> str:
    """Human name of a vehicle type."""
    return _VEHICLE[check_lang(lang)][kind]


def reason(code: UnassignedReason, lang: Lang = "vi") -> str:
    """Short human label of an unassigned reason code."""
    return _REASON[check_lang(lang)][code]


def reason_detail(u: Unassigned, lang: Lang = "vi") -> str:
    """The sentence of why ``u`` is unassigned, in ``lang`` (its key and arguments rendered).

    A reason without a key (read from a ``plan.json`` written before keys were
    recorded) has only its English sentence: shown in English, and as nothing
    in Vietnamese rather than in another language.
    """
    if u.key:
        return sentence(u.key, u.args, check_lang(lang))
    return u.detail if check_lang(lang) == "en" else ""


def wait_cause(cause: WaitCause, lang: Lang = "vi") -> str:
    """Why a courier waits, as the route sheet prints it."""
    return _WAIT[check_lang(lang)][cause]


def opening(windows: tuple[TimeWindow, ...], lang: Lang = "vi") -> str:
    """Opening hours as printed: ``07:30–11:30, 13:00–17:00``, or closed (đóng cửa)."""
    return windows_text(windows, closed=text("sheet.closed", lang))


def fmt_km(metres: int | float) -> str:
    """Distance in km with one decimal, e.g. ``12.3 km`` (Vietnamese uses a comma)."""
    return f"{metres / 1000:.1f} km"


def fmt_km_lang(metres: int | float, lang: Lang = "vi") -> str:
    """Distance in km with one decimal in the language's decimal mark."""
    s = fmt_km(metres)
    return s.replace(".", ",") if lang == "vi" else s


def fmt_hours(seconds: int | float) -> str:
    """Duration as ``H:MM`` (hours and minutes), e.g. ``7:45``."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def fmt_number(value: float, decimals: int = 0, lang: Lang = "vi", *,
               sign: bool = False) -> str:
    """A number with thousands grouped: ``1.234,5`` (vi) or ``1,234.5`` (en); ``–`` for NaN.

    ``decimals``: digits after the decimal mark; ``sign``: a ``+`` before
    positive numbers (differences). Vietnamese groups thousands with a dot and
    marks decimals with a comma (Unicode CLDR, locale ``vi``), as :func:`fmt_vnd`
    and the route sheet's km do. A value that rounds to zero is written as zero
    (``0,0`` or ``+0,0``, never ``-0,0``).
    """
    if math.isnan(value):
        return "–"
    if round(value, decimals) == 0:
        value = 0.0  # no "-0,0" for a small negative difference
    text_ = f"{value:{'+' if sign else ''},.{decimals}f}"
    if check_lang(lang) == "vi":
        text_ = text_.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text_


def fmt_count(value: float, lang: Lang = "vi") -> str:
    """A count that may be a mean (per day, over seeds): whole as ``3``, else ``2,5`` / ``0,33``.

    One decimal from 1 up, two below (``0,03`` rather than a misleading ``0,0``),
    and below 0.01 its first significant digit (``0,003``: one item over 300
    days is not none), in ``lang``'s marks (:func:`fmt_number`).
    """
    if not math.isfinite(value) or value == int(value):
        return fmt_number(value, 0, lang)
    if abs(value) >= 1:
        return fmt_number(value, 1, lang)
    return fmt_number(value, max(2, -math.floor(math.log10(abs(value)))), lang)


def fmt_vnd(amount: int, lang: Lang = "vi") -> str:
    """Money in VND with thousands separators: ``25.000 ₫`` (vi) or ``25,000 VND`` (en)."""
    grouped = fmt_number(amount, 0, lang)
    return grouped + (" ₫" if lang == "vi" else " VND")


def fmt_date(day: dt.date, lang: Lang = "vi") -> str:
    """A date as ``23/11/2026`` (vi) or ``2026-11-23`` (en)."""
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


class Messages:
    """The catalogue bound to one language: ``t = messages("vi"); t("sheet.title")``."""

    def __init__(self, lang: Lang) -> None:
        self.lang = check_lang(lang)

    def __call__(self, key: str, **fields: object) -> str:
        """The message ``key`` with ``{fields}`` filled in."""
        return text(key, self.lang, **fields)


def messages(lang: Lang) -> Messages:
    """The catalogue bound to ``lang``."""
    return Messages(lang)
