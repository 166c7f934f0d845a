"""The consumer page's words: one catalog per language, the same keys in each.

Placeholders (``{count}``, ``{when}``, ``{where}``, ``{brand}``) are filled by
:func:`text`; a test checks that every key and every placeholder exists in both languages.
"""

from __future__ import annotations

import string

LANGUAGES = ("en", "zh")
HTML_LANG = {"en": "en", "zh": "zh-Hans"}  # BCP 47 tags for <html lang>

EN: dict[str, str] = {
    "switch_to": "中文",
    "switch_label": "切换到中文",
    "verdict.genuine": "Genuine",
    "verdict.genuine.explain": "This is the first time this code has been checked. {brand} made and registered this item.",
    "verdict.verified_before": "Genuine — checked before",
    "verdict.verified_before.explain": "Earlier checks of this code: {count}. The first was on {when}, in {where}. If that was not you, the item may have been opened or resold: ask the seller.",
    "verdict.verified_before.explain_no_first": "Earlier checks of this code: {count}. If those were not you, the item may have been opened or resold: ask the seller.",
    "verdict.possible_copy": "Warning: possible copy",
    "verdict.possible_copy.explain": "This code has been seen in ways a single genuine item cannot be (too many checks, or places too far apart). The label may have been copied. Do not use the item until the seller or {brand} confirms it.",
    "verdict.outside_market": "Not sold for this region",
    "verdict.outside_market.explain": "This item was made by {brand} but is meant to be sold in another region. It may be a grey import without local warranty or service.",
    "verdict.recalled": "Recalled: do not use",
    "verdict.recalled.explain": "{brand} has recalled this item. Stop using it now. Take it back to where you bought it for a refund or replacement, or contact {brand}.",
    "verdict.expired": "Expired",
    "verdict.expired.explain": "This item is genuine but past its expiry date. Do not use it.",
    "verdict.not_released": "Not yet released",
    "verdict.not_released.explain": "This item has not left {brand}'s warehouse yet, so it should not be on sale. Ask the seller where it came from.",
    "verdict.forged": "Warning: fake code",
    "verdict.forged.explain": "This code was not issued by the brand. Do not trust this item; report it to the seller or the brand.",
    "verdict.unknown": "Unknown item",
    "verdict.unknown.explain": "The code looks valid, but there is no record of this item. Contact the brand before using it.",
    "somewhere": "an unknown place",
    "the_brand": "the brand",
    "product": "Product",
    "lot": "Lot",
    "serial": "Serial",
    "produced": "Made on",
    "expires": "Best before",
    "qc_documents": "Quality documents",
    "journey": "Journey",
    "ledger_proof": "Proof in the public ledger",
    "story": "Our story",
    "campaign": "For you",
    "coupon": "Your coupon",
    "copy_code": "Copy code",
    "copied": "Copied",
    "copy_failed": "Press and hold the code to copy it",
    "signup": "Join the club",
    "signup_intro": "Get news and offers from {brand}.",
    "contact": "E-mail or phone number",
    "consent": "I agree that {brand} may store my contact details and send me news and offers. I can ask for them to be deleted at any time.",
    "submit": "Sign up",
    "signup.ok": "Thank you! You are signed up.",
    "signup.already": "You are already signed up. Thank you!",
    "signup.no_consent": "Please tick the box to agree before signing up.",
    "signup.bad_contact": "Please enter a valid e-mail address or phone number.",
    "signup.expired": "This form has expired. Please go back, reload the page and try again.",
    "signup.too_many": "Too many attempts. Please try again in a minute.",
    "back": "Back to the product",
    "at": "at",
}

ZH: dict[str, str] = {
    "switch_to": "English",
    "switch_label": "Switch to English",
    "verdict.genuine": "正品",
    "verdict.genuine.explain": "这是此码首次被查询。该商品由{brand}生产并登记。",
    "verdict.verified_before": "正品 · 此前已被查询",
    "verdict.verified_before.explain": "此码此前已被查询 {count} 次。首次查询时间：{when}，地点：{where}。如果那不是您本人，该商品可能已被拆封或转售，请向卖家询问。",
    "verdict.verified_before.explain_no_first": "此码此前已被查询 {count} 次。如果那不是您本人，该商品可能已被拆封或转售，请向卖家询问。",
    "verdict.possible_copy": "警告：疑似仿冒",
    "verdict.possible_copy.explain": "此码的查询情况与单件正品不符（查询次数过多或地点相距过远），标签可能被复制。在卖家或{brand}确认前请勿使用。",
    "verdict.outside_market": "非本地区销售商品",
    "verdict.outside_market.explain": "该商品由{brand}生产，但应在其他地区销售，可能是平行进口商品，本地可能不提供保修或服务。",
    "verdict.recalled": "已召回：请勿使用",
    "verdict.recalled.explain": "{brand}已召回该商品。请立即停止使用，并退回购买处办理退款或更换，或联系{brand}。",
    "verdict.expired": "已过期",
    "verdict.expired.explain": "该商品为正品，但已超过有效期。请勿使用。",
    "verdict.not_released": "尚未出库",
    "verdict.not_released.explain": "该商品尚未离开{brand}的仓库，不应在市场上销售。请向卖家询问商品来源。",
    "verdict.forged": "警告：假码",
    "verdict.forged.explain": "此码并非品牌签发。请勿信任该商品，并向卖家或品牌方举报。",
    "verdict.unknown": "未知商品",
    "verdict.unknown.explain": "此码看似有效，但没有该商品的记录。使用前请联系品牌方。",
    "somewhere": "未知",
    "the_brand": "品牌方",
    "product": "产品",
    "lot": "批号",
    "serial": "序列号",
    "produced": "生产日期",
    "expires": "有效期至",
    "qc_documents": "质检文件",
    "journey": "流通记录",
    "ledger_proof": "公开账本中的证明",
    "story": "品牌故事",
    "campaign": "专属福利",
    "coupon": "您的优惠券",
    "copy_code": "复制券码",
    "copied": "已复制",
    "copy_failed": "请长按券码进行复制",
    "signup": "加入会员",
    "signup_intro": "获取{brand}的新品资讯和优惠。",
    "contact": "电子邮箱或手机号码",
    "consent": "我同意{brand}保存我的联系方式，并向我发送资讯和优惠。我可以随时要求删除。",
    "submit": "立即加入",
    "signup.ok": "谢谢！您已成功加入。",
    "signup.already": "您已经加入过了，谢谢！",
    "signup.no_consent": "请先勾选同意后再提交。",
    "signup.bad_contact": "请输入有效的电子邮箱或手机号码。",
    "signup.expired": "表单已过期，请返回并刷新页面后重试。",
    "signup.too_many": "尝试次数过多，请一分钟后再试。",
    "back": "返回商品页面",
    "at": "于",
}

CATALOGS: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}


def placeholders(message: str) -> frozenset[str]:
    """The ``{name}`` fields a message expects."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(message) if name)


def text(language: str, key: str, **values: object) -> str:
    """The message ``key`` in ``language`` with its placeholders filled (KeyError if unknown)."""
    message = CATALOGS[language][key]
    return message.format(**values) if values else message
