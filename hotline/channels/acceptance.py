"""Acceptance scope (Art. 9, 10): what the operator reads out when a request is not accepted, and the legal route.

Art. 10 closes with: the requester must be told why a request is not accepted. Each reason has a standard text the
operator reads out and the requester receives; matters for courts, arbitration, review or petitions add the route.
"""

from __future__ import annotations

from dataclasses import dataclass

from hotline.tickets.choices import DeclineReason


@dataclass(frozen=True)
class DeclineScript:
    """The standard explanation for one Art. 10 reason, and the legal route where there is one."""

    reason: str
    label: str
    explanation: str
    legal_route: str = ""

    @property
    def full_text(self) -> str:
        return f"{self.explanation}{self.legal_route}"


_SCRIPTS = {
    DeclineReason.SECRETS: "您反映的事项涉及国家秘密、商业秘密或个人隐私，12345热线依规不予受理。",
    DeclineReason.LEGAL_ROUTE: "您反映的事项已经或应当通过诉讼、仲裁、行政复议等法律途径解决，12345热线依规不予受理。",
    DeclineReason.PETITION: "您反映的事项已经进入信访程序受理、处理或者已经终结，12345热线依规不予受理。",
    DeclineReason.REPEATED: ("您反映的事项此前已受理，正在办理或已依法办理完毕，"
                             "本次未提出新情况、新理由，不再重复受理。"),
    DeclineReason.UNLAWFUL: "您的诉求违反法律法规或社会公序良俗，12345热线依规不予受理。",
    DeclineReason.PARTY_CONGRESS: "您反映的事项属于党委、人大、政协管辖范围，12345热线依规不予受理，请向相关机关反映。",
    DeclineReason.MILITARY: "您反映的事项涉及军队、武警职责范围，12345热线依规不予受理，请向相关部门反映。",
    DeclineReason.OUT_OF_JURISDICTION: "您反映的事项不属于本级行政职权管辖范围，12345热线依规不予受理。",
    DeclineReason.NUISANCE: "请依法依规使用12345热线，不得无正当理由反复拨打、长时间占用热线资源（第二十九条）。",
    DeclineReason.OTHER: "您反映的事项不在12345热线受理范围内。",
}

_ROUTES = {
    DeclineReason.LEGAL_ROUTE: ("您可以依法向人民法院提起诉讼，向仲裁机构申请仲裁，"
                                "或在法定期限内向有权机关申请行政复议。"),
    DeclineReason.PETITION: "如对信访处理意见不服，可按《信访工作条例》申请复查、复核。",
    DeclineReason.OUT_OF_JURISDICTION: "您可以向有管辖权的上级或外地政务服务便民热线反映。",
}


def script(reason: str) -> DeclineScript:
    """The explanation for an Art. 10 reason code ("1".."10")."""
    code = DeclineReason(reason)
    return DeclineScript(reason=code.value, label=code.label, explanation=_SCRIPTS[code],
                         legal_route=_ROUTES.get(code, ""))


def all_scripts() -> list[DeclineScript]:
    """Every reason in order, for the operator's decline menu."""
    return [script(code) for code in DeclineReason.values]
