"""Shaoyang's units, the topic tree mapped to them (派单目录) and the demo's staff accounts."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.directory.choices import EmergencyCategory, PlatformKind, Role, UnitKind
from hotline.directory.models import Platform, Staff, Topic, Unit, root_platform_id

# The 12 county-level units (县市区) with pinyin codes and two towns or streets each (属地, Art. 12.2).
COUNTIES: list[tuple[str, str, tuple[str, str]]] = [
    ("shuangqing", "双清区", ("龙须塘街道", "小江湖街道")),
    ("daxiang", "大祥区", ("红旗路街道", "城南街道")),
    ("beita", "北塔区", ("状元洲街道", "田江街道")),
    ("shaodong", "邵东市", ("两市塘街道", "廉桥镇")),
    ("wugang", "武冈市", ("迎春亭街道", "邓元泰镇")),
    ("xinshao", "新邵县", ("酿溪镇", "严塘镇")),
    ("shaoyangxian", "邵阳县", ("塘渡口镇", "九公桥镇")),
    ("longhui", "隆回县", ("桃洪镇", "六都寨镇")),
    ("dongkou", "洞口县", ("洞口镇", "高沙镇")),
    ("suining", "绥宁县", ("长铺子苗族侗族乡", "武阳镇")),
    ("xinning", "新宁县", ("金石镇", "崀山镇")),
    ("chengbu", "城步苗族自治县", ("儒林镇", "丹口镇")),
]

# Counties running their own sub-centre under the city platform (Art. 30), with their own desk staff over the
# county's units; the other counties' units stay with the city platform's desk.
SUB_CENTRES: tuple[str, ...] = ("shuangqing", "xinshao")

# County departments by key: the same key names the city department that handles city-level matters.
COUNTY_DEPARTMENTS: list[tuple[str, str]] = [
    ("zjj", "住建局"), ("cgj", "城管局"), ("scjgj", "市场监管局"), ("rsj", "人社局"), ("jyj", "教育局"),
]

# City units: code, name, kind, 24-hour response. Art. 20 names the units that keep a 24-hour response.
CITY_UNITS: list[tuple[str, str, str, bool]] = [
    ("hotline", "市政务热线服务中心", UnitKind.HOTLINE, True),
    ("spj", "市行政审批服务局", UnitKind.CITY_DEPARTMENT, False),
    ("yjj", "市应急管理局", UnitKind.CITY_DEPARTMENT, True),
    ("wjw", "市卫生健康委员会", UnitKind.CITY_DEPARTMENT, True),
    ("gaj", "市公安局", UnitKind.CITY_DEPARTMENT, True),
    ("sthj", "市生态环境局", UnitKind.CITY_DEPARTMENT, True),
    ("cgzf", "市城管执法局", UnitKind.CITY_DEPARTMENT, True),
    ("water", "市自来水公司", UnitKind.UTILITY, True),
    ("power", "国网邵阳供电公司", UnitKind.PROVINCIAL, True),
    ("gas", "市燃气总公司", UnitKind.UTILITY, True),
    ("zjj", "市住房和城乡建设局", UnitKind.CITY_DEPARTMENT, False),
    ("rsj", "市人力资源和社会保障局", UnitKind.CITY_DEPARTMENT, False),
    ("jyj", "市教育局", UnitKind.CITY_DEPARTMENT, False),
    ("scjg", "市市场监督管理局", UnitKind.CITY_DEPARTMENT, False),
    ("jtj", "市交通运输局", UnitKind.CITY_DEPARTMENT, False),
    ("zrzy", "市自然资源和规划局", UnitKind.CITY_DEPARTMENT, False),
    ("ybj", "市医疗保障局", UnitKind.CITY_DEPARTMENT, False),
    ("mzj", "市民政局", UnitKind.CITY_DEPARTMENT, False),
]

# Which city unit stands for a county department key when a matter is city-level.
CITY_FOR_KEY = {"zjj": "zjj", "cgj": "cgzf", "scjgj": "scjg", "rsj": "rsj", "jyj": "jyj"}


@dataclass(frozen=True)
class TopicSpec:
    """One leaf of the demo taxonomy: code, name, city unit, county department key and the Art. 13/20/23 flags."""

    code: str
    name: str
    unit: str
    county_key: str = ""
    keywords: str = ""
    photo: bool = False
    confidential: bool = False
    arrival: bool = False
    outage: bool = False
    emergency: str = ""
    statutory_days: int | None = None


ROOTS: list[tuple[str, str]] = [
    ("01", "城乡建设"), ("02", "城市管理"), ("03", "公用事业"), ("04", "市场监管"), ("05", "劳动和社会保障"),
    ("06", "教育"), ("07", "交通运输"), ("08", "自然资源与生态环境"), ("09", "卫生健康"), ("10", "民政"),
    ("11", "政务服务"), ("12", "应急与安全"),
]

T = TopicSpec
TOPICS: list[TopicSpec] = [
    # Art. 23: illegal building and demolition complaints never reveal the complainant.
    T("0101", "违章建筑", "cgzf", "cgj", "违建,加层,搭建", confidential=True),
    T("0102", "房屋征收拆迁", "zjj", "zjj", "拆迁,征收,补偿", confidential=True),
    T("0103", "物业管理", "zjj", "zjj", "物业,小区,电梯"),
    T("0104", "房屋质量", "zjj", "zjj", "漏水,开裂,质量"),
    T("0105", "住房保障", "zjj", "zjj", "公租房,廉租房"),
    # Art. 13: manhole covers and poles need on-site photos before a return.
    T("0201", "井盖缺失破损", "cgzf", "cgj", "井盖", photo=True),
    T("0202", "路灯照明", "cgzf", "cgj", "路灯,不亮"),
    T("0203", "占道经营", "cgzf", "cgj", "摆摊,占道"),
    # Art. 20 and 23: fumes and noise are confidential and need an arrival within one hour.
    T("0204", "餐饮油烟", "cgzf", "cgj", "油烟,烧烤", confidential=True, arrival=True),
    T("0205", "噪音扰民", "cgzf", "cgj", "噪音,施工,广场舞", confidential=True, arrival=True),
    T("0206", "电线杆通讯杆", "power", "", "电线杆,线杆,倾斜", photo=True),
    T("0207", "环境卫生", "cgzf", "cgj", "垃圾,清扫"),
    # Art. 20: outages go to the 24-hour utilities.
    T("0301", "停水", "water", "", "停水,没水", outage=True),
    T("0302", "停电", "power", "", "停电,跳闸", outage=True),
    T("0303", "停气", "gas", "", "停气,燃气", outage=True),
    T("0304", "水质水压", "water", "", "水压,水质,黄水"),
    T("0305", "电费电价", "power", "", "电费,电表"),
    T("0401", "食品安全", "scjg", "scjgj", "食品,过期,变质"),
    T("0402", "消费维权", "scjg", "scjgj", "退款,商家,消费"),
    T("0403", "价格收费", "scjg", "scjgj", "收费,涨价"),
    T("0404", "电梯安全", "scjg", "scjgj", "电梯,困人"),
    T("0501", "拖欠工资", "rsj", "rsj", "工资,欠薪,农民工"),
    T("0502", "社会保险", "rsj", "rsj", "社保,养老保险"),
    T("0503", "就业创业", "rsj", "rsj", "就业,创业,补贴"),
    T("0504", "医疗保险", "ybj", "", "医保,报销"),
    T("0601", "学校收费", "jyj", "jyj", "学校,收费,资料费"),
    T("0602", "招生入学", "jyj", "jyj", "入学,学位,招生"),
    T("0603", "校外培训", "jyj", "jyj", "培训,补课"),
    T("0701", "出租车网约车", "jtj", "", "出租车,拒载,网约车"),
    T("0702", "公交线路", "jtj", "", "公交,站点"),
    T("0703", "道路破损", "jtj", "", "路面,坑洼"),
    T("0801", "大气污染", "sthj", "", "废气,异味,焚烧"),
    T("0802", "水污染", "sthj", "", "排污,河道"),
    T("0803", "土地征收", "zrzy", "", "征地,土地"),
    T("0804", "不动产登记", "zrzy", "", "不动产,房产证"),
    T("0901", "医疗服务", "wjw", "", "医院,看病"),
    T("0902", "疫苗接种", "wjw", "", "疫苗,接种"),
    T("1001", "低保救助", "mzj", "", "低保,救助"),
    T("1002", "养老服务", "mzj", "", "养老,老人"),
    T("1101", "办事指南", "spj", "", "办理,材料,流程"),
    # Art. 14.4: the Regulations on Open Government Information set 20 working days.
    T("1102", "政府信息公开", "spj", "", "信息公开", statutory_days=20),
    T("1103", "工作作风", "spj", "", "态度,推诿"),
    # Art. 12.2: emergencies go to the emergency, health and police units.
    T("1201", "自然灾害", "yjj", "", "山体滑坡,内涝,洪水", emergency=EmergencyCategory.DISASTER),
    T("1202", "安全生产事故", "yjj", "", "事故,爆炸,火灾隐患", emergency=EmergencyCategory.DISASTER),
    T("1203", "公共卫生事件", "wjw", "", "疫情,中毒", emergency=EmergencyCategory.PUBLIC_HEALTH),
    T("1204", "社会治安", "gaj", "", "打架,治安,诈骗", emergency=EmergencyCategory.SOCIAL_SECURITY),
]

HOTLINE_STAFF: list[tuple[str, str, str]] = [
    ("operator", Role.OPERATOR, "话务员小周"),
    ("dispatcher", Role.DISPATCHER, "派单员小刘"),
    ("reviewer", Role.REVIEWER, "审核员小王"),
    ("followup", Role.FOLLOWUP, "回访员小陈"),
    ("supervisor", Role.SUPERVISOR, "督办员小李"),
    ("manager", Role.MANAGER, "热线管理员老赵"),
]


# Art. 12.2: disasters and accidents, public health, social security each go to a fixed city unit.
EMERGENCY_UNITS = {"yjj": EmergencyCategory.DISASTER, "wjw": EmergencyCategory.PUBLIC_HEALTH,
                   "gaj": EmergencyCategory.SOCIAL_SECURITY}


def handler_username(unit: Unit) -> str:
    """The demo handler account of a unit, e.g. `h-shuangqing-cgj`."""
    return f"h-{unit.code}"


def manager_username(unit: Unit) -> str:
    """The demo unit-manager account of a unit, e.g. `m-shuangqing-cgj` (reveals with a reason, Art. 23)."""
    return f"m-{unit.code}"


def desk_username(role: str, platform: Platform) -> str:
    """A sub-centre's desk account, `<role>-<platform code>`, e.g. `operator-shuangqing`."""
    return f"{role}-{platform.code}"


def build_platforms() -> dict[str, Platform]:
    """The city platform (named for the demo city) and the counties' sub-centres below it, by code."""
    city = Platform.objects.get(pk=root_platform_id())
    Platform.objects.filter(pk=city.pk).update(name="邵阳市12345热线平台")
    names = {code: name for code, name, _towns in COUNTIES}
    platforms = {city.code: city}
    for code in SUB_CENTRES:
        platforms[code] = Platform.objects.create(code=code, name=f"{names[code]}12345分中心",
                                                  kind=PlatformKind.COUNTY, parent=city)
    return platforms


def build_units(platforms: dict[str, Platform] | None = None) -> dict[str, Unit]:
    """Create the city units, the counties, their departments and towns; returns them by code. A county with a
    sub-centre in `platforms` has its units on that platform."""
    platforms = platforms or {}
    units: dict[str, Unit] = {}
    for code, name, kind, responds_24h in CITY_UNITS:
        units[code] = Unit.objects.create(code=code, name=name, kind=kind, responds_24h=responds_24h,
                                          handles_emergency=EMERGENCY_UNITS.get(code, ""),
                                          phone=f"0739-{5000000 + len(units):07d}")
    for code, name, towns in COUNTIES:
        # Art. 20: every county keeps a 24-hour response.
        on = {"platform": platforms[code]} if code in platforms else {}
        county = units[code] = Unit.objects.create(code=code, name=name, kind=UnitKind.COUNTY, responds_24h=True,
                                                   **on)
        for key, dept in COUNTY_DEPARTMENTS:
            units[f"{code}-{key}"] = Unit.objects.create(
                code=f"{code}-{key}", name=f"{name}{dept}", kind=UnitKind.COUNTY_DEPARTMENT, parent=county,
                responds_24h=key == "cgj", **on)  # Art. 20: county urban management keeps a 24-hour link-up.
        for index, town in enumerate(towns, start=1):
            units[f"{code}-t{index}"] = Unit.objects.create(code=f"{code}-t{index}", name=f"{name}{town}",
                                                            kind=UnitKind.TOWN, parent=county, **on)
    return units


def build_topics(units: dict[str, Unit]) -> dict[str, Topic]:
    """Create the two-level topic tree mapped to default units; returns leaves by code."""
    roots = {code: Topic.objects.create(code=code, name=name) for code, name in ROOTS}
    leaves: dict[str, Topic] = {}
    for spec in TOPICS:
        leaves[spec.code] = Topic.objects.create(
            code=spec.code, name=spec.name, parent=roots[spec.code[:2]], default_unit=units[spec.unit],
            local_first=bool(spec.county_key), statutory_working_days=spec.statutory_days,
            needs_onsite_photo=spec.photo, always_confidential=spec.confidential,
            needs_arrival_within_hour=spec.arrival, is_outage=spec.outage, emergency_category=spec.emergency,
            keywords=spec.keywords,
        )
    return leaves


def build_staff(units: dict[str, Unit], *, hashes: dict[str, str], handler_hash: str,
                platforms: dict[str, Platform] | None = None) -> dict[str, Staff]:
    """The hotline's six roles, the `admin` superuser and each sub-centre's six desk roles (hashes by username), and
    per unit one handler and one unit manager (one shared hash)."""
    hotline = units["hotline"]
    city = hotline.platform_id
    people = [Staff(username=name, role=role, unit=hotline, display_name=display, password=hashes[name],
                    platform_id=city)
              for name, role, display in HOTLINE_STAFF]
    people.append(Staff(username="admin", role=Role.MANAGER, unit=hotline, display_name="系统管理员",
                        password=hashes["admin"], is_staff=True, is_superuser=True, platform_id=city))
    for platform in (platforms or {}).values():
        if not platform.is_root:
            people += [Staff(username=(username := desk_username(name, platform)), role=role, platform=platform,
                             display_name=f"{platform.name}{display[:3]}", password=hashes[username])
                       for name, role, display in HOTLINE_STAFF]
    people += [Staff(username=handler_username(unit), role=Role.UNIT_HANDLER, unit=unit,
                     display_name=f"{unit.name}承办人", password=handler_hash, platform_id=unit.platform_id)
               for unit in units.values() if unit.kind != UnitKind.HOTLINE]
    people += [Staff(username=manager_username(unit), role=Role.UNIT_MANAGER, unit=unit,
                     display_name=f"{unit.name}单位管理员", password=handler_hash, platform_id=unit.platform_id)
               for unit in units.values() if unit.kind != UnitKind.HOTLINE]
    Staff.objects.bulk_create(people)
    return {person.username: person for person in Staff.objects.filter(username__in=[p.username for p in people])
            .select_related("platform", "unit")}


def county_department(units: dict[str, Unit], county: Unit, topic: Topic, specs: dict[str, TopicSpec]) -> Unit:
    """The unit a ticket goes to: the county's own department for local matters (属地, Art. 12.2), else the city's."""
    key = specs[topic.code].county_key
    if key and topic.local_first:
        return units[f"{county.code}-{key}"]
    assert topic.default_unit is not None  # every demo leaf has one
    return topic.default_unit
