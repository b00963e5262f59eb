"""Roles and unit kinds: readable string values, Chinese labels (STYLE 9)."""

from django.db import models


class Role(models.TextChoices):
    """What a staff member does; hotline roles act on every ticket, unit roles only on their unit's."""

    OPERATOR = "operator", "话务员"
    DISPATCHER = "dispatcher", "派单员"
    REVIEWER = "reviewer", "审核员"
    FOLLOWUP = "followup", "回访员"
    SUPERVISOR = "supervisor", "督办员"
    MANAGER = "manager", "热线管理员"
    UNIT_HANDLER = "unit_handler", "承办人"
    UNIT_MANAGER = "unit_manager", "单位管理员"


# The role groups, defined once: who may do which kind of work (the workflow, the knowledge base, the screens).
HOTLINE_ROLES = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.REVIEWER, Role.FOLLOWUP, Role.SUPERVISOR, Role.MANAGER})
UNIT_ROLES = frozenset({Role.UNIT_HANDLER, Role.UNIT_MANAGER})
INTAKE_ROLES = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.MANAGER})  # take contacts in (Art. 9-12)
# Dispatch is the dispatchers' and the manager's: operators accept into the queue (a role split of ours).
DISPATCH_ROLES = frozenset({Role.DISPATCHER, Role.MANAGER})
REVIEW_ROLES = frozenset({Role.REVIEWER, Role.MANAGER})  # returns, extensions, replies, knowledge articles
FOLLOWUP_ROLES = frozenset({Role.FOLLOWUP, Role.MANAGER})
SUPERVISION_ROLES = frozenset({Role.SUPERVISOR, Role.MANAGER})  # supervision cases and coordination (Art. 19, 24)


class PlatformKind(models.TextChoices):
    """A level of the 12345 platforms in one deployment (Art. 30): the city runs the platform, its counties (and
    townships) sub-centres under it. The provincial platform is another deployment, reached through `exchange`."""

    CITY = "city", "市级平台"
    COUNTY = "county", "县市区分中心"
    TOWNSHIP = "township", "乡镇街道分中心"


class UnitKind(models.TextChoices):
    """Where a unit stands in the city's structure (Art. 6)."""

    HOTLINE = "hotline", "热线机构"
    CITY_DEPARTMENT = "city_department", "市直部门"
    COUNTY = "county", "县市区"
    COUNTY_DEPARTMENT = "county_department", "县级部门"
    TOWN = "town", "乡镇街道"
    UTILITY = "utility", "公共事业单位"
    PROVINCIAL = "provincial", "部省属驻邵单位"


class EmergencyCategory(models.TextChoices):
    """Art. 12.2: urgent matters go to a fixed city unit."""

    DISASTER = "disaster", "自然灾害、事故灾害"
    PUBLIC_HEALTH = "public_health", "公共卫生事件"
    SOCIAL_SECURITY = "social_security", "社会安全事件"


class DutyKind(models.TextChoices):
    """Who sits at the hotline in a duty slot (Art. 8)."""

    LEADER_DAY = "leader_day", "领导接听日"
    UNIT_ROTATION = "unit_rotation", "部门负责人轮值"
