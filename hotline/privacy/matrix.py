"""The role matrix: what every URL and API operation answers to every role, as data (Art. 23; DESIGN §5).

`tests/security/test_permission_matrix.py` crawls every URL pattern and every documented API operation as every
role, against a ticket in each scope seen from the unit of the unit roles, and compares the status codes with this
table; a URL or operation missing here fails that test. `docs/roles.md` is rendered from this table.

County roles (`county_operator` …) are a county sub-centre's desk staff; unless an entry says otherwise they answer
as the city role of the same name.

Scopes: `own` — led by the user's unit; `assisting` — the user's unit assists; `other` — another unit leads and
assists; `unassigned` — not yet dispatched. Codes: 200/302 allowed (302 also: to the login page or a form's
follow-up page), 400 the harmless probe was refused as invalid input, 403 visible but forbidden, 404 invisible (no
existence oracle), 405 wrong method, 409 not allowed in the ticket's state, 401 API call without a token.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCOPES = ("own", "assisting", "other", "unassigned")
HOTLINE = ("operator", "dispatcher", "reviewer", "followup", "supervisor", "manager")
UNIT = ("unit_handler", "unit_manager")
# The same six desk roles at a county sub-centre (Art. 30): every ticket of the crawl is held by the city platform,
# so a county desk sees none of them (404), and the city-wide screens are closed to it.
COUNTY = tuple(f"county_{role}" for role in HOTLINE)
ROLES = (*HOTLINE, *UNIT, *COUNTY, "anonymous")
STAFF = HOTLINE + UNIT + COUNTY

Code = int | dict[str, int]

# A unit sees the tickets it is or was assigned, as lead or assisting unit, and nothing else.
UNIT_VISIBLE = {"own": 200, "assisting": 200, "other": 404, "unassigned": 404}


def scoped(visible: int, invisible: int = 404) -> dict[str, int]:
    """`visible` on own and assisting tickets, `invisible` (404) on the others: a unit's view of ticket URLs."""
    return {"own": visible, "assisting": visible, "other": invisible, "unassigned": invisible}


@dataclass(frozen=True)
class Entry:
    """What one URL or operation answers: a probe `method`, a code per role (or per role and scope), and why."""

    codes: dict[str, Code]
    method: str = "GET"
    note: str = ""
    scoped: bool = field(default=False)

    def expected(self, role: str, scope: str) -> int:
        """The status code `role` must get on a ticket in `scope`."""
        code = self.codes[role]
        return code[scope] if isinstance(code, dict) else code


def entry(*, hotline: Code, unit: Code, anonymous: Code, method: str = "GET", note: str = "",
          roles: dict[str, Code] | None = None, county: Code | None = None) -> Entry:
    """An entry giving one code to all hotline roles and one to both unit roles, overridden per role; the county
    desk roles get `county`, or the code of the city role of the same name."""
    codes: dict[str, Code] = {role: hotline for role in HOTLINE}
    codes.update({role: unit for role in UNIT})
    codes["anonymous"] = anonymous
    codes.update(roles or {})
    for role in HOTLINE:
        codes.setdefault(f"county_{role}", county if county is not None else codes[role])
    return Entry(codes, method=method, note=note,
                 scoped=any(isinstance(code, dict) for code in codes.values()))


def same(code: int, *, method: str = "GET", note: str = "") -> Entry:
    """Every role, logged in or not, gets `code` (public pages, unknown objects)."""
    return entry(hotline=code, unit=code, anonymous=code, method=method, note=note)


LOGIN = 302  # an anonymous visitor of a staff page is sent to the login page
DESK_ROLES: dict[str, Code] = {"operator": 200, "dispatcher": 200, "manager": 200}  # the call desk (Art. 9, 10)
KNOWLEDGE_EDITORS: dict[str, Code] = {"reviewer": 200, "manager": 200}

# Server-rendered screens and other Django URL patterns, by URL name.
PAGES: dict[str, Entry] = {
    "web:home": same(302, note="转到各角色的首页或登录页"),
    "web:login": entry(hotline=302, unit=302, anonymous=200, note="已登录者转到首页"),
    "web:logout": same(405, note="只接受 POST，故只用 GET 探测"),
    "web:otp_enrol": entry(hotline=200, unit=200, anonymous=LOGIN, note="绑定动态验证码（二维码本地生成）"),
    "web:otp_verify": entry(hotline=302, unit=302, anonymous=LOGIN, note="未绑定者转到绑定页"),
    "web:desk": entry(hotline=200, unit=403, anonymous=LOGIN, note="受理台，热线人员"),
    "web:inbox": entry(hotline=403, unit=200, anonymous=LOGIN, note="承办单位待办"),
    "web:tickets": entry(hotline=200, unit=200, anonymous=LOGIN, note="列表只含可见工单"),
    "web:ticket": entry(hotline=200, unit=UNIT_VISIBLE, anonymous=LOGIN,
                        county=404,
                        note="服务对象电话、证件号码对所有人脱敏显示；完整号码须填写理由查看并记录（web:ticket_reveal）"),
    "web:ticket_action": entry(
        hotline=403, unit={"own": 409, "assisting": 403, "other": 404, "unassigned": 404}, anonymous=LOGIN,
        method="POST", note="以“签收”探测：热线角色无权签收；牵头单位已签收为409；会同单位403；不可见404", county=404),
    "web:ticket_reveal": entry(hotline=400, unit=scoped(400), anonymous=LOGIN, method="POST",
                               county=404,
                               note="显示完整号码：空表单400（须填理由）；角色与保密工单的拒绝见 docs/security.md"),
    # Issue #17: the lead unit contacts the requester (Art. 14(2), 15): name and phone in one logged click.
    "web:ticket_contact": entry(
        hotline=403, unit={"own": 200, "assisting": 403, "other": 404, "unassigned": 404}, anonymous=LOGIN,
        method="POST", roles={"manager": 200, "reviewer": 200, "followup": 200},
        county=404,
        note="联系服务对象：牵头单位一键显示姓名和电话（记入查看记录）；会同单位403；保密工单403，由热线转达"),
    "web:access_log": entry(hotline=403, unit=403, anonymous=LOGIN, roles={"manager": 200},
                            note="个人信息查看记录，仅热线管理员"),
    "web:access_log_csv": entry(hotline=403, unit=403, anonymous=LOGIN, roles={"manager": 200}),
    "knowledge:list": entry(hotline=200, unit=200, anonymous=LOGIN),
    "knowledge:suggest": entry(hotline=200, unit=200, anonymous=LOGIN),
    "knowledge:create": entry(hotline=200, unit=200, anonymous=LOGIN),
    "knowledge:review": entry(hotline=404, unit=404, anonymous=LOGIN, roles=KNOWLEDGE_EDITORS),
    "knowledge:upkeep": entry(hotline=200, unit=200, anonymous=LOGIN),
    "knowledge:import": entry(hotline=404, unit=200, anonymous=LOGIN, roles=KNOWLEDGE_EDITORS),
    "knowledge:export": entry(hotline=200, unit=404, anonymous=LOGIN),
    "knowledge:detail": entry(hotline=200, unit=200, anonymous=LOGIN, note="本单位维护的条目"),
    "knowledge:edit": entry(hotline=200, unit=200, anonymous=LOGIN, note="本单位维护的条目"),
    "knowledge:request_update": entry(hotline=302, unit=302, anonymous=LOGIN, method="POST"),
    "knowledge:cancel_update": entry(hotline=302, unit=302, anonymous=LOGIN, method="POST"),
    "knowledge:report_wrong": entry(hotline=302, unit=302, anonymous=LOGIN, method="POST"),
    "knowledge:attach": entry(hotline=302, unit=302, anonymous=LOGIN, method="POST"),
    "knowledge:transition": entry(hotline=302, unit=302, anonymous=LOGIN, method="POST"),
    "knowledge:answer_ticket": entry(hotline=200, unit=UNIT_VISIBLE, anonymous=LOGIN, county=404),
    "knowledge:answer_with": entry(hotline=302, unit=scoped(302), anonymous=LOGIN, method="POST", county=404),
    "intake:suggest": entry(hotline=200, unit=scoped(403), anonymous=LOGIN, note="派单建议，热线人员", county=404),
    "intake:similar": entry(hotline=200, unit=403, anonymous=LOGIN),
    "intake:hotspots": entry(hotline=200, unit=403, anonymous=LOGIN),
    "reports:channels": entry(hotline=200, unit=403, anonymous=LOGIN, county=403),
    # ---- Monthly statistics, bulletin and assessment (Art. 26, 27). The crawl fills year and month with 1,
    # a month that does not exist (404); the manager alone closes, reviews and publishes.
    "reports:months": entry(hotline=200, unit=403, anonymous=LOGIN, county=403),
    "reports:month": entry(hotline=404, unit=403, anonymous=LOGIN, county=403,
                           note="月度统计，热线人员；探测月份不存在"),
    "reports:month_action": entry(hotline=403, unit=403, anonymous=LOGIN, method="POST", roles={"manager": 404},
                                  note="结账、审核、发布，仅热线管理员"),
    "reports:bulletin": entry(hotline=404, unit=404, anonymous=LOGIN, note="已发布月份的通报，各单位可下载"),
    # A county sub-centre's own month (Art. 26, 30): the crawl names platform "0101", which no one can see (404);
    # a county desk sees its own subtree only, the city's staff every platform; the platform's own manager acts.
    "reports:platform_months": entry(hotline=404, unit=403, anonymous=LOGIN, note="平台月度统计，本平台及下级平台"),
    "reports:platform_month": entry(hotline=404, unit=403, anonymous=LOGIN,
                                    note="县级分中心本平台月度统计；他平台404"),
    "reports:platform_month_action": entry(hotline=404, unit=403, anonymous=LOGIN, method="POST",
                                           note="县级分中心结账、审核、发布本平台月度，仅本平台热线管理员"),
    "reports:platform_bulletin": entry(hotline=404, unit=403, anonymous=LOGIN, note="县级分中心已发布的本平台通报"),
    "reports:assessment_latest": entry(hotline=302, unit=302, anonymous=LOGIN, note="转到上月考评"),
    "reports:assessment": entry(hotline=404, unit=404, anonymous=LOGIN, note="热线看全部；单位只看本单位"),
    "reports:sheet": entry(hotline=404, unit=404, anonymous=LOGIN, note="单位只看本单位考评明细"),
    "reports:assessment_export": entry(hotline=404, unit=403, anonymous=LOGIN, county=403,
                                       note="年度考评导出，热线人员"),
    "reports:live": entry(hotline=200, unit=403, anonymous=LOGIN, note="数据看板", county=403),
    "reports:live_data": entry(hotline=200, unit=403, anonymous=LOGIN, county=403),
    # The API's statistics paths carry typed path parameters, so the URL crawl reaches them too (year 1, month 1):
    # without a bearer token every caller is 401.
    "api:assessment": same(401, note="须持令牌，见 JSON 接口"),
    "api:bulletin_file": same(401, note="须持令牌，见 JSON 接口"),
    "favicon": same(301, note="网站图标：永久转到静态文件"),
    "captcha-image": same(404, note="未知验证码"),
    "captcha-image-2x": same(404, note="未知验证码"),
    "captcha-audio": same(404, note="未知验证码"),
    "captcha-refresh": same(404, note="只接受 XHR"),
    "channels:portal-submit": same(200, note="公众门户"),
    "channels:portal-receipt": same(302, note="无刚提交的回执时回到门户"),
    "channels:portal-track": same(200),
    "channels:portal-status": same(302, note="须先凭查询码验证"),
    # Issue #17: a lost query code is replaced after an SMS code to the phone the requester gave (no oracle).
    "channels:portal-recover": same(200, note="找回查询码：工单编号和电话，无论是否相符答复相同"),
    "channels:portal-recover-code": same(302, note="须先提交工单编号和电话"),
    "channels:portal-rate": same(302, method="POST", note="须先凭查询码验证"),
    "channels:open311-services": same(200),
    "channels:open311-service": same(404, note="事项代码不公开者"),
    "channels:open311-requests": same(200, note="只列公开摘要"),
    "channels:open311-request": same(404, note="工单编号不是 Open311 请求号"),
    "channels:open311-token": same(404),
    # Open311 in XML, the format GeoReport v2 requires of every endpoint: the same answers as the JSON names.
    "channels:open311-services-xml": same(200),
    "channels:open311-service-xml": same(404, note="事项代码不公开者"),
    "channels:open311-requests-xml": same(200, note="只列公开摘要"),
    "channels:open311-request-xml": same(404, note="工单编号不是 Open311 请求号"),
    "channels:open311-token-xml": same(404),
    "channels:desk-call": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:desk-caller": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:desk-assist": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:desk-flags": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:desk-flag-review": entry(hotline=404, unit=404, anonymous=LOGIN, method="POST",
                                       note="未知标记"),
    "channels:desk-deputies": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:gateway-ticket": same(401, method="POST", note="渠道签名认证"),
    "channels:police-transfer": same(401, method="POST", note="渠道签名认证"),
    "api:openapi-json": same(200, note="接口说明文档"),
    "api:openapi-view": same(200, note="Swagger 页面（ninja 本地静态文件，不用 CDN）"),
    "api:api-root": same(404),
}

# The Django admin is one entry for all its URLs: only superusers may use it; staff without it go to its login.
ADMIN = same(302, note="Django 管理后台：仅超级用户")
ADMIN_PAGES: dict[str, Entry] = {"admin:login": same(200)}

# API operations, by "METHOD /path". Probes send `{}`: a body that fails validation is refused before the ticket is
# loaded, so such a probe says 400 in every scope (and so reveals nothing about the ticket).
API_PROBE_400 = entry(hotline=400, unit=400, anonymous=401, method="POST", note="空请求体：参数校验失败")
API: dict[str, Entry] = {
    "POST /api/v1/auth/token": same(400, method="POST", note="空请求体"),
    "DELETE /api/v1/auth/token": entry(hotline=204, unit=204, anonymous=401, method="DELETE",
                                       note="注销用一次性令牌探测"),
    "GET /api/v1/calendar/deadline": same(400, note="缺少参数"),
    "GET /api/v1/platforms": entry(hotline=200, unit=200, anonymous=401,
                                   note="市平台看全部平台；分中心看本平台及下级；单位看所属平台（第三十条）"),
    # ---- Monthly statistics, assessment and bulletins (Art. 26, 27): read-only; a unit reads its own line.
    "GET /api/v1/statistics/monthly": entry(hotline=400, unit=400, anonymous=401, note="缺少 month 参数"),
    "GET /api/v1/assessment/{year}/{month}": entry(hotline=400, unit=400, anonymous=401, note="探测路径参数非整数"),
    "GET /api/v1/bulletins/{year}/{month}.{fmt}": entry(hotline=400, unit=400, anonymous=401,
                                                        note="探测路径参数非整数；未发布为404"),
    "POST /api/v1/tickets": entry(hotline=400, unit=400, anonymous=401, method="POST"),
    "GET /api/v1/tickets": entry(hotline=200, unit=200, anonymous=401, note="只列可见工单"),
    "GET /api/v1/tickets/{number}": entry(hotline=200, unit=UNIT_VISIBLE, anonymous=401, county=404),
    "GET /api/v1/tickets/{number}/events": entry(hotline=200, unit=UNIT_VISIBLE, anonymous=401, county=404),
    "POST /api/v1/tickets/{number}/sign": entry(
        hotline=403, unit={"own": 409, "assisting": 403, "other": 404, "unassigned": 404}, anonymous=401,
        method="POST", county=404),
    "POST /api/v1/tickets/{number}/rework": entry(
        hotline=403, unit=scoped(403), anonymous=401, method="POST",
        roles={"reviewer": 409, "followup": 409, "manager": 409},
        note="回访、审核角色：工单状态不允许（409）", county=404),
    "POST /api/v1/tickets/{number}/arrival": entry(
        hotline=403, unit=scoped(200), anonymous=401, method="POST", roles={"unit_manager": scoped(409)},
        note="承办人先记录到场（200），单位管理员再记录为409", county=404),
    "POST /api/v1/tickets/{number}/platform-sign": entry(
        hotline=403, unit={"own": 403, "assisting": 403, "other": 404, "unassigned": 404}, anonymous=401,
        method="POST", roles={"dispatcher": 409, "manager": 409},
        note="调度、管理角色：工单不在待平台签收状态（409）；仅接收平台可签收（第三十条）", county=404),
    **{f"POST /api/v1/tickets/{{number}}/{verb}": API_PROBE_400 for verb in (
        "decline", "answer", "consult", "dispatch", "return", "return-review", "extension", "extension-review",
        "reply", "reply-review", "follow-up", "merge", "hand-off", "contact-attempt", "hand-down", "pass-up")},
}

# ---- Follow-up desk, ratings from every channel, units' appeals (Art. 17, 25) ----
FOLLOWUP_DESK: dict[str, Code] = {"followup": 200, "manager": 200}
PAGES.update({
    "channels:sms-rating": same(401, method="POST", note="短信网关评价回复，渠道密钥认证"),
    "followups:desk": entry(hotline=403, unit=403, anonymous=LOGIN, roles=FOLLOWUP_DESK, note="回访工作台"),
    "followups:call": entry(hotline=403, unit=403, anonymous=LOGIN, roles=FOLLOWUP_DESK, county=404,
                            note="回访一件工单"),
    "followups:appeal": entry(hotline=403, unit={"own": 200, "assisting": 403, "other": 404, "unassigned": 404},
                              anonymous=LOGIN, note="申诉表单，仅牵头单位", county=404),
    "followups:appeals": entry(hotline=403, unit=200, anonymous=LOGIN, roles={"reviewer": 200, "manager": 200},
                               note="审核员：待审申诉；承办单位：本单位申诉"),
    "followups:appeal_detail": entry(hotline=404, unit=404, anonymous=LOGIN, note="未知申诉；不可见工单的申诉同为404"),
    "followups:appeal_evidence": entry(hotline=404, unit=404, anonymous=LOGIN, note="未知申诉"),
    "followups:ledger": entry(hotline=200, unit=200, anonymous=LOGIN, note="只列可见工单的申诉"),
    "followups:ledger_csv": entry(hotline=200, unit=200, anonymous=LOGIN),
    "followups:ledger_xlsx": entry(hotline=200, unit=200, anonymous=LOGIN),
})
API.update({
    "GET /api/v1/tickets/{number}/follow-ups": entry(hotline=200, unit=UNIT_VISIBLE, anonymous=401,
                                                    note="全部渠道的回访记录", county=404),
    "POST /api/v1/tickets/{number}/appeal": API_PROBE_400,
    "POST /api/v1/tickets/{number}/appeal-review": API_PROBE_400,
    "GET /api/v1/appeals": entry(hotline=200, unit=200, anonymous=401, note="只列可见工单的申诉"),
})


# ---- Duty and deputies (Art. 8, 18, 20, 27): the calendar, rosters, on duty now, the deputies' registry and ledger.
API.update({
    "GET /api/v1/duty/slots": entry(hotline=200, unit=200, anonymous=401, note="领导接听日与轮值安排"),
    "POST /api/v1/duty/slots": API_PROBE_400,
    "POST /api/v1/duty/rosters": API_PROBE_400,
    "GET /api/v1/duty/now": entry(hotline=400, unit=400, anonymous=401, note="缺少 unit 参数；号码按角色脱敏"),
    "GET /api/v1/deputies/ledger": entry(hotline=200, unit=403, anonymous=401, note="人大代表台账，热线人员"),
})
PAGES.update({
    "duty:calendar": entry(hotline=200, unit=403, anonymous=LOGIN, note="领导接听日与轮值，热线人员；热线管理员安排"),
    "duty:slot": entry(hotline=404, unit=403, anonymous=LOGIN, note="未知安排；工单看板"),
    "duty:notice": entry(hotline=404, unit=403, anonymous=LOGIN, note="未知安排；可打印公告"),
    "duty:rosters": entry(hotline=200, unit=200, anonymous=LOGIN, note="单位只见本单位值班表"),
    "duty:roster-template": entry(hotline=200, unit=200, anonymous=LOGIN, note="值班表模板"),
    "duty:roster": entry(hotline=404, unit=404, anonymous=LOGIN, note="未知值班表；号码脱敏"),
    "duty:now": entry(hotline=200, unit=403, anonymous=LOGIN, note="当前值班人，号码脱敏"),
    "channels:desk-deputies-xlsx": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:desk-deputies-report": entry(hotline=403, unit=403, anonymous=LOGIN, roles=DESK_ROLES),
    "channels:desk-deputies-import": entry(hotline=403, unit=403, anonymous=LOGIN, roles={"manager": 200},
                                           note="导入代表信息库，热线管理员"),
    "duty:now-reveal": entry(hotline=200, unit=403, anonymous=LOGIN, method="POST",
                             note="显示完整值班电话：派单、话务、督办、管理员，留痕"),
})
# ---- Supervision and coordination (Art. 19, 24): the supervisor's desk, the units' 督办件, the difficult-matter pool.
# Probes use id 1 / a ticket number where a case is named, which no case has: 404 for whoever may reach the screen.
SUPERVISORS: dict[str, Code] = {"supervisor": 200, "manager": 200}
PAGES.update({
    "supervision:center": entry(hotline=200, unit=403, anonymous=LOGIN, note="督办中心，热线人员", county=403),
    "supervision:urge_desk": entry(hotline=200, unit=403, anonymous=LOGIN, note="催办工作台", county=403),
    "supervision:unit_cases": entry(hotline=403, unit=200, anonymous=LOGIN, note="承办单位的督办件"),
    "supervision:open": entry(hotline=403, unit=403, anonymous=LOGIN, roles=SUPERVISORS, note="启动督办，督办员"),
    "supervision:proposal": entry(hotline=403, unit=403, anonymous=LOGIN, method="POST",
                                  roles={"supervisor": 404, "manager": 404}, note="未知提议"),
    "supervision:case": entry(hotline=404, unit=404, anonymous=LOGIN, note="未知督办件；单位只见督办本单位者"),
    "supervision:document": entry(hotline=404, unit=404, anonymous=LOGIN, note="未知督办件"),
    "supervision:case_action": entry(hotline=404, unit=404, anonymous=LOGIN, method="POST", note="未知督办件"),
    "supervision:pool": entry(hotline=200, unit=403, anonymous=LOGIN, note="疑难工单池，热线人员", county=403),
    "supervision:coordination": entry(hotline=404, unit=403, anonymous=LOGIN, note="未知协调记录", county=403),
    "supervision:coordination_action": entry(hotline=404, unit=404, anonymous=LOGIN, method="POST",
                                             note="以未知操作探测"),
    # The API route whose path names a proposal, not a ticket, is crawled as a URL too.
    "api:open_proposal": same(401, method="POST", note="页面巡检不带令牌；带令牌的应答见 JSON 接口表"),
})
API.update({
    "GET /api/v1/supervision/cases": entry(hotline=200, unit=200, anonymous=401, note="单位只列督办本单位者"),
    "POST /api/v1/supervision/cases": API_PROBE_400,
    "GET /api/v1/supervision/cases/{number}": entry(hotline=404, unit=404, anonymous=401, note="以工单编号探测"),
    **{f"POST /api/v1/supervision/cases/{{number}}/{verb}": API_PROBE_400
       for verb in ("urge", "reply", "extension", "extension-review")},
    **{f"POST /api/v1/supervision/cases/{{number}}/{verb}": entry(hotline=404, unit=404, anonymous=401,
                                                                  method="POST", note="请求体可为空：未知督办件")
       for verb in ("accept", "send-back", "escalate")},
    "POST /api/v1/supervision/proposals/{proposal}/open": entry(hotline=400, unit=400, anonymous=401,
                                                                method="POST", note="路径参数须为整数"),
    "GET /api/v1/coordination": entry(hotline=200, unit=200, anonymous=401, note="单位得到空列表"),
    "POST /api/v1/coordination": API_PROBE_400,
    "GET /api/v1/coordination/{number}": entry(hotline=404, unit=404, anonymous=401, note="未列入疑难工单池"),
    **{f"POST /api/v1/coordination/{{number}}/{verb}": API_PROBE_400
       for verb in ("meeting", "decide", "undetermined")},
})

# ---- Exchanges with other platforms (Art. 7, 27): orders from the provincial platform and sub-centres' pushes are
# signed like the 110 link, so every caller without a signature is 401 whatever its token; the quality table is
# the hotline manager's.
PAGES.update({
    "exchange:orders": entry(hotline=200, unit=403, anonymous=LOGIN, note="上级交办工单，热线人员", county=403),
    "exchange:quality": entry(hotline=403, unit=403, anonymous=LOGIN, roles={"manager": 200},
                              note="分中心数据质量，热线管理员"),
})
API.update({
    "POST /api/v1/exchange/orders": same(401, method="POST", note="上级平台签名认证，不用令牌"),
    "POST /api/v1/exchange/sub-centres/tickets": same(401, method="POST", note="分中心签名认证，不用令牌"),
    "POST /api/v1/exchange/reports": same(401, method="POST", note="下级平台签名认证，不用令牌"),
    "GET /api/v1/exchange/quality": entry(hotline=400, unit=400, anonymous=401,
                                          note="缺少 month 参数；带参数时仅热线管理员（其余403）"),
})


def lookup(kind: str, key: str) -> Entry | None:
    """The matrix entry of a URL name (`kind='url'`) or API operation (`kind='api'`), None when missing."""
    if kind == "api":
        return API.get(key)
    if key.startswith("admin:"):
        return ADMIN_PAGES.get(key, ADMIN)
    return PAGES.get(key)


def _cell(value: Code) -> str:
    if isinstance(value, int):
        return str(value)
    return " / ".join(f"{scope[:3]} {value[scope]}" for scope in SCOPES)


def render_markdown() -> str:
    """The matrix as the Markdown tables of docs/roles.md."""
    head = "| " + " | ".join(["URL / 接口", "方法", *ROLES, "说明"]) + " |"
    rule = "|" + "---|" * (len(ROLES) + 3)
    parts = []
    for title, table in (("页面（URL 名称）", PAGES), ("管理后台", {"admin:login": ADMIN_PAGES["admin:login"],
                                                             "admin:*（其余全部）": ADMIN}), ("JSON 接口", API)):
        parts += [f"### {title}", "", head, rule]
        for key, row in table.items():
            cells = [f"`{key}`", row.method, *(_cell(row.codes[role]) for role in ROLES), row.note]
            parts.append("| " + " | ".join(cells) + " |")
        parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_markdown())
