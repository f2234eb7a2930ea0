"""The body of the demo papers, as StreamField data, in the register of a provincial paper.

The wording follows the Guangxi plan (桂政办发〔2016〕112号, ``docs/data.md``): its industry
directions, its cities, its work item 20 (白皮书蓝皮书, 供需对接, 信息分级分类发布). Numbers
come from ``demo_figures``. ``Body`` collects blocks; ``white_paper`` and ``blue_paper`` write
the two demo papers.
"""

from __future__ import annotations

from typing import Any

from .demo_corpus import (
    CITY_ROLE,
    GLOSSARY,
    INDUSTRY_PLAN,
    ITEM_20,
    PLAN_6,
    QUALIFICATION_NOTES,
    SEED_SOURCE,
)
from .demo_figures import SEED_SHARE, SEED_TARGETS, SEED_VALUE_ADDED, Figures


class Body:
    """StreamField data under construction (a list of {"type", "value"} dicts)."""

    def __init__(self) -> None:
        self.blocks: list[dict[str, Any]] = []
        self.chapter_number = 0

    def add(self, kind: str, value: Any) -> None:
        self.blocks.append({"type": kind, "value": value})

    def chapter(self, heading: str) -> None:
        self.chapter_number += 1
        self.add("chapter", {"number": self.chapter_number, "heading": heading})

    def text(self, *paragraphs: str) -> None:
        self.add("text", "".join(f"<p>{p}</p>" for p in paragraphs))

    def table(self, caption: str, rows: list[list[Any]], source: str) -> None:
        data = [[str(cell) for cell in row] for row in rows]
        table = {
            "data": data,
            "table_header_choice": "row",  # what the admin's TableBlock form asks for
            "first_row_is_table_header": True,
            "first_col_is_header": False,
        }
        self.add("table", {"caption": caption, "table": table, "source": source})

    def chart(self, kind: str, caption: str, rows: list[list[Any]], unit: str, source: str):
        data = [[str(cell) for cell in row] for row in rows]
        table = {
            "data": data,
            "table_header_choice": "row",  # what the admin's TableBlock form asks for
            "first_row_is_table_header": True,
            "first_col_is_header": False,
        }
        self.add(
            "chart",
            {"chart_type": kind, "caption": caption, "unit": unit, "data": table, "source": source},
        )

    def key_figures(self, title: str, figures: list[tuple[str, str, str]]) -> None:
        items = [{"value": v, "unit": u, "label": label} for v, u, label in figures]
        self.add("key_figures", {"title": title, "figures": items})

    def footnote(self, text: str, note: str) -> None:
        self.add("footnote", {"text": text, "note": note})

    def quote(self, text: str, attribution: str) -> None:
        self.add("quote", {"text": text, "attribution": attribution})


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


def _overview(body: Body, figures: Figures, paper: str) -> None:
    body.chapter("总体情况")
    total = figures.total
    body.key_figures(
        "主要数据",
        [
            (str(total), "家", "入库认证民参军企业"),
            (str(sum(1 for _c, n in figures.by_city if n)), "个", "覆盖设区市"),
            (str(len(figures.by_industry) or 6), "个", "重点产业方向"),
            (str(SEED_VALUE_ADDED), "亿元", "新兴产业增加值目标"),
            (f"{SEED_SHARE}", "%", "占地区生产总值比重目标"),
            (str(sum(n for _q, n in figures.by_qualification)), "项", "有效资质（按企业计）"),
        ],
    )
    body.text(
        f"本{paper}依据{SEED_SOURCE}第六项行动计划“军民融合创新发展行动计划”编写。方案提出，"
        + PLAN_6,
        "自治区发展改革委会同工业和信息化、科技等部门，依托军民融合供需对接平台，对全区民参军企业开展"
        "登记、审核和动态更新，逐步形成覆盖十四个设区市、六大重点产业方向的民参军企业数据库。数据库按照"
        "“公开、注册、认证、定向”四级发布信息，企业基本情况面向社会公开，联系方式、资质证书等敏感字段仅向"
        "经认证的企业和采购人员开放，定向信息只送达被授权的单位和个人。",
    )
    body.quote(ITEM_20, "专栏6 第20项 建立军转民和民参军对接服务机制")
    body.footnote(
        f"截至统计日，数据库共收录经审核认证的民参军企业{total}家，"
        "本书各章图表中的企业数量均以认证企业为口径，不含草稿、待审核和已撤销的企业。",
        "统计口径：企业状态为“已认证”；同一企业涉及多个产业方向的，在各方向分别计数，合计可能大于企业总数。",
    )
    body.text(
        "从发展阶段看，全区军民融合已由初步融合向深度融合过渡。一方面，北斗导航、智能装备制造、新一代信息"
        "技术、石墨烯、稀土等领域形成了一批具有承担军品配套任务能力的骨干企业；另一方面，中小企业对军队需求"
        "信息掌握不充分、资质办理周期长、供需双方缺少常态化对接渠道等问题依然存在。",
        "为此，本书在摸清企业底数的基础上，分产业、分地区介绍民参军企业的分布、资质和能力建设情况，"
        "并结合供需对接平台运行情况提出下一步工作建议，供各级政府部门、军队有关单位和企业参考。",
    )


def _by_city(body: Body, figures: Figures) -> None:
    body.chapter("民参军企业地区分布")
    total = figures.total
    rows = [["设区市", "认证企业数（家）", "占全区比重"]]
    rows += [[name, n, _share(n, total)] for name, n in figures.by_city]
    rows.append(["合计", total, "100.0%" if total else "—"])
    body.text(
        "民参军企业的地区分布与全区产业布局高度一致。北部湾经济区和西江经济带集中了大部分企业，"
        "桂西资源富集区企业数量较少但在有色金属、稀土等领域特色鲜明。各市认证企业数量见表1和图1。"
    )
    body.table("各设区市认证民参军企业数量", rows, figures.source)
    body.chart(
        "bar",
        "各设区市认证民参军企业数量",
        [["设区市", "认证企业数"], *[[name, n] for name, n in figures.by_city]],
        "家",
        figures.source,
    )
    ranked = sorted(figures.by_city, key=lambda item: -item[1])
    for name, n in ranked:
        body.text(
            f"{name}。{CITY_ROLE[name]}。目前共有认证民参军企业{n}家，占全区的{_share(n, total)}。"
            f"下一步，{name}将结合本地产业基础，围绕军队装备配套和后勤保障需求，组织重点企业参加供需对接活动，"
            "推动企业完善质量管理体系、保密管理制度和装备承制资格，提高承接军品任务的能力。"
        )


def _by_industry(body: Body, figures: Figures) -> None:
    body.chapter("重点产业方向")
    total = figures.total
    body.text(
        f"按照{SEED_SOURCE}确定的重点方向，本书将民参军企业归入新一代信息技术、智能装备制造、节能环保、新材料、"
        "新能源汽车、大健康等六大产业。企业数量分布见表2和图2。"
    )
    rows = [["产业方向", "认证企业数（家）", "占认证企业比重"]]
    rows += [[name, n, _share(n, total)] for name, n in figures.by_industry]
    body.table("六大产业方向认证企业数量", rows, figures.source)
    body.chart(
        "pie",
        "认证企业的产业方向构成",
        [["产业方向", "企业数"], *[[name, n] for name, n in figures.by_industry]],
        "家",
        figures.source,
    )
    for name, n in figures.by_industry:
        body.text(
            f"{name}。方案要求：{INDUSTRY_PLAN[name]}"
            f"数据库中该方向认证企业{n}家。这些企业普遍具有较强的研发投入和工程化能力，"
            "部分企业已取得装备承制单位资格或武器装备科研生产单位保密资格，具备直接参与军队装备科研生产的条件；"
            "更多企业处于为军工集团和科研院所提供配套产品、技术服务的阶段。"
        )


def _sub_industries(body: Body, figures: Figures) -> None:
    if not figures.by_sub_industry:
        return
    rows = [["产业方向", "细分领域", "认证企业数（家）"]]
    rows += [[parent, name, n] for parent, name, n in figures.by_sub_industry]
    body.table("细分领域认证企业数量", rows, figures.source)
    for parent, name, n in figures.by_sub_industry:
        body.text(
            f"{name}（{parent}）。该领域现有认证企业{n}家。从企业登记的产品和技术看，"
            f"{name}领域企业以中小企业为主，产品多处于为整机和系统集成单位配套的环节，"
            "在可靠性设计、环境适应性试验和质量追溯等方面与军品要求仍有差距，需要通过对接活动了解需求、"
            "通过资质建设补齐短板。"
        )


def _featured(body: Body, figures: Figures) -> None:
    body.chapter("附录　名词解释与重点企业名录")
    body.text("为便于阅读，现将本书使用的主要名词和统计口径说明如下。")
    for term, meaning in GLOSSARY:
        body.text(f"{term}：{meaning}")
    if figures.featured:
        rows = [["序号", "企业名称", "所在地区", "产业方向"]]
        rows += [[i, n, r, ind] for i, (n, r, ind) in enumerate(figures.featured, start=1)]
        body.text(
            "下表列出数据库中公开发布的部分认证企业，供军地有关单位遴选推介时参考。"
            "名单按企业名称排序，不代表排名，完整信息以平台企业名录为准。"
        )
        body.table("部分认证民参军企业名录", rows, figures.source)


def _focus(body: Body, figures: Figures) -> None:
    body.chapter("北斗导航、石墨烯与稀土")
    body.text(
        "方案点名的北斗导航、石墨烯、稀土三个领域，是广西实施区域关键技术军转民产业培育工程的重点。"
        "三个领域的认证企业数量见图3。"
    )
    body.chart(
        "bar",
        "重点培育领域认证企业数量",
        [["领域", "认证企业数"], *[[name, n] for name, n in figures.by_focus]],
        "家",
        figures.source,
    )
    body.text(
        "北斗导航。依托中国—东盟信息港和北斗卫星导航产业技术支撑，广西在高精度定位、位置服务、"
        "交通和海洋渔业应用等方面形成了一批产品。方案提出以北斗卫星导航产业技术支撑为重点，打造国防知识产权"
        "产业集群技术孵化平台，推动北斗应用向东盟国家延伸。",
        "石墨烯。石墨烯在导热散热、电磁屏蔽、储能和复合材料等方面具有军民两用前景，广西已有企业开展石墨烯"
        "粉体、导电浆料和改性涂料的中试和产业化，亟需与军工单位在应用验证环节加强对接。",
        "稀土。崇左、贺州等地稀土资源丰富，方案要求引导稀土等优质资源向资金、技术、管理优势明显的大型龙头企业"
        "倾斜，提升稀土分离、稀土功能材料和稀贵金属深加工水平，服务国防科技工业对关键材料的需求。",
    )
    body.footnote(
        "国防知识产权转移转化试点以稀贵金属深加工和北斗卫星导航产业为重点。",
        "见方案专栏6第21项“推动重点领域国防技术民用发展”，牵头单位为自治区发展改革委。",
    )


def _qualifications(body: Body, figures: Figures) -> None:
    body.chapter("资质与能力建设")
    rows = [["资质类型", "持有有效资质的企业（家）"]]
    rows += [[name, n] for name, n in figures.by_qualification] or [["（尚无数据）", 0]]
    body.text(
        "资质是企业进入军品市场的门槛。平台对武器装备科研生产许可证、装备承制单位资格、武器装备科研生产单位"
        "保密资格、GJB 9001C-2017质量管理体系认证、国家高新技术企业、"
        "专精特新“小巨人”和ISO 9001认证等七类资质"
        "进行登记，过期资质自动标注为已过期，不再计入检索筛选。各类有效资质的持有情况见表3。"
    )
    body.table("认证企业持有有效资质情况", rows, figures.source)
    for key, note in QUALIFICATION_NOTES.items():
        body.text(f"{key}。{note}")
    if figures.by_ownership:
        body.chart(
            "pie",
            "认证企业所有制结构",
            [["所有制", "企业数"], *[[k, v] for k, v in figures.by_ownership]],
            "家",
            figures.source,
        )
    if figures.by_founding:
        body.chart(
            "line",
            "认证企业按成立时间分布",
            [["成立时间", "企业数"], *[[k, v] for k, v in figures.by_founding]],
            "家",
            figures.source,
        )
    body.text(
        "从资质结构看，取得国家高新技术企业和ISO 9001认证的企业较多，"
        "取得保密资格和装备承制资格的企业"
        "相对较少，反映出多数企业仍处于民参军起步阶段。建议各市对具备条件的企业开展资质申办辅导，"
        "缩短办理周期；对保密资格到期的企业提前提示，避免资质中断影响合同履行。"
    )


def _mechanism(body: Body, figures: Figures) -> None:
    body.chapter("供需对接机制建设")
    rows = [["目标", "数量", "单位"], *[[a, b, c] for a, b, c in SEED_TARGETS]]
    body.text(
        "方案提出，到“十三五”末建成新兴产业园区20个、百亿元新兴产业园区10个、特色新兴产业集聚区5个，"
        "建成5—10家产业技术研究院和国家级创新平台。民参军企业是这些园区和平台的重要组成部分。"
    )
    body.table("“十三五”战略性新兴产业集聚发展目标", rows, SEED_SOURCE)
    body.chart(
        "bar",
        "战略性新兴产业集聚发展目标",
        [["目标", "数量"], *[[a, b] for a, b, _c in SEED_TARGETS]],
        "个/家",
        SEED_SOURCE,
    )
    body.text(
        "供需对接平台按照“创建供需对接制度，摸清民参军企业底数，建立数据库和数据共享机制、信息分级分类"
        "发布机制”的要求建设，主要包括：民参军企业数据库，支持企业自主登记、审核认证、版本留痕和批量导入；"
        "供需信息发布，涵盖军队需求、民口供给、技术转移和政策通知四类信息，按四级发布并支持意向响应；"
        "检索与匹配，按产业、地区、资质等条件检索供应商，并为需求信息推荐匹配企业。",
    )
    body.footnote(
        "信息分级分类发布采用“公开、注册、认证、定向”四个级别。",
        "平台不处理国家秘密。定向级信息仅向被授权的用户、用户组或企业开放，每次查看和下载均记录审计日志。",
    )
    body.text(
        "联席会议、情况通报、合署办公、重大事项会商等制度逐步健全。自治区发展改革委牵头，"
        "工业和信息化、科技等部门配合，定期汇总军队需求和企业能力信息，组织专题对接会，"
        "推动重点企业和优势技术进入国家和军队有关工程项目决策的绿色通道。"
    )


def _outlook(body: Body) -> None:
    body.chapter("展望与建议")
    for title, text in [
        (
            "持续摸清底数",
            "推动数据库与市场监管、科技、工业和信息化等部门数据共享，定期更新企业资质和能力信息。",
        ),
        ("完善分级发布", "细化各类信息的发布级别和敏感字段，定期复核定向授权，过期授权自动失效。"),
        (
            "深化供需对接",
            "围绕军队装备配套、后勤保障和国防动员需求，常态化举办分领域、分地区对接活动。",
        ),
        ("培育骨干企业", "遴选推介重点企业和优势技术，支持企业申办资质、建设保密和质量管理体系。"),
        ("加强东盟合作", "结合中国—东盟信息港建设，推进通信、测绘、气象等领域的军民两用技术合作。"),
    ]:
        body.text(
            f"{title}。{text}各市要把军民融合纳入本地战略性新兴产业发展规划，明确牵头部门和工作责任，"
            "形成自治区统筹、市县落实、企业主体、平台支撑的工作格局。"
        )
    body.quote(
        "创新发展是经济发展新常态下的必然选择，强化创新成果同产业对接是实施创新驱动发展战略的基本要求。",
        SEED_SOURCE,
    )


def white_paper(figures: Figures) -> list[dict[str, Any]]:
    body = Body()
    _overview(body, figures, "白皮书")
    _by_city(body, figures)
    _by_industry(body, figures)
    _sub_industries(body, figures)
    _focus(body, figures)
    _qualifications(body, figures)
    _mechanism(body, figures)
    _outlook(body)
    _featured(body, figures)
    return body.blocks


def blue_paper(figures: Figures) -> list[dict[str, Any]]:
    body = Body()
    _overview(body, figures, "蓝皮书")
    _by_industry(body, figures)
    _sub_industries(body, figures)
    _qualifications(body, figures)
    _by_city(body, figures)
    _focus(body, figures)
    _mechanism(body, figures)
    _outlook(body)
    _featured(body, figures)
    return body.blocks


def long_paper(figures: Figures, rounds: int) -> list[dict[str, Any]]:
    """A paper of ``rounds`` times the white paper's chapters (benchmarks: ~40 pages at 2)."""
    blocks: list[dict[str, Any]] = []
    number = 0
    for _ in range(rounds):
        for block in white_paper(figures):
            if block["type"] == "chapter":
                number += 1
                block = {"type": "chapter", "value": {**block["value"], "number": number}}
            blocks.append(block)
    return blocks
