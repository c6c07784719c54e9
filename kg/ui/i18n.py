"""The app's words in Chinese (the default) and English: one catalogue, looked up by key."""
from __future__ import annotations

from typing import Callable

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT = "zh"

_ZH: dict[str, str] = {
    "app.title": "PolicyKG 政策知识库",
    "page.chat": "智能问答", "page.entities": "实体浏览", "page.documents": "报告管理", "page.export": "导出与查询",
    "side.page": "页面", "side.lang": "语言 / Language", "side.kb": "知识库目录",
    "side.kb_help": "由 `kg ingest` 建立的文件夹；相对路径以项目目录为起点。",
    "side.summary": "已收录 {n} 份报告",
    "kb.missing": "`{kb}` 下还没有知识库。可用自带的报告建立：\n\n```bash\nbash scripts/start.sh\n```\n\n或\n\n"
                  "```bash\n.venv/bin/kg ingest --kb {kb} data/corpus\n```\n\n建好后刷新本页（或在侧栏填写其他知识库目录）。",
    "kb.empty_dir": "知识库目录为空：请填写，例如 data/kb",
    "kb.loading": "正在加载检索索引和语义模型（每个知识库只需一次）…",
    "kb.still_loading": "知识库仍在加载（已等待 {s} 秒）：请稍后再试",
    # chat
    "chat.placeholder": "请输入问题，例如：2024年辽宁省旅游收入是多少？",
    "chat.intro": "就已收录的报告提问，每个回答都附有所依据的原文段落。可以接着追问，例如「那山西呢？」「2023年呢？」「增速呢？」。",
    "chat.searching": "正在检索报告…",
    "chat.followup": "结合上一个问题，理解为：{q}",
    "chat.confidence": "把握度：{level}（{p}，模型估计的答对概率）",
    "confidence.high": "高", "confidence.mid": "中", "confidence.low": "低",
    "chat.figures": "计算所用数据",
    "chat.related": "相关段落",
    "chat.related_none": "相关段落（均未直接回答该问题）",
    "chat.json": "复制为 JSON", "chat.download": "下载 JSON",
    "fb.right": "对", "fb.wrong": "不对",
    "fb.pick": "正确答案在哪一段？", "fb.none_picked": "（不指定段落）", "fb.absent": "报告中没有这个问题的答案",
    "fb.answer": "正确答案（例如 6325亿元）", "fb.send": "提交", "fb.thanks": "已记录（{id}），运行 `kg fit --feedback` 后模型会学到。",
    "fb.need": "请填写正确答案或选择所在段落，或勾选“报告中没有”",
    "fb.off": "本应用对网络开放，反馈已关闭：设置 POLICYKG_FEEDBACK_TOKEN 并在侧栏输入口令后可用。",
    "fb.token": "反馈口令",
    "fb.this_figure": "设为上一个问题（{q}）的正确答案",
    "answer.not_found": "报告中未找到答案",
    "answer.number": "回答", "answer.entity": "回答", "answer.text": "回答",
    "answer.difference": "计算得出（两项数据之差）", "answer.comparison": "比较得出",
    "answer.list": "回答（列举）", "answer.definition": "回答（释义）",
    "understood.lead": "理解为", "understood.indicator": "指标", "understood.region": "地区",
    "understood.period": "时间", "understood.measure": "所求",
    "measure.growth": "增速", "measure.balance": "余额", "measure.share": "占比", "measure.target": "目标值",
    "measure.max": "最高者", "measure.min": "最低者", "measure.diff": "差值",
    "expect.percent": "百分比", "expect.pp": "百分点", "expect.money": "金额", "expect.count": "数量",
    "expect.ratio": "比率",
    "q.1": "一季度", "q.2": "二季度", "q.3": "三季度", "q.4": "四季度", "h.1": "上半年", "h.2": "下半年",
    "period.year": "{y}年", "period.quarter": "{y}年{q}", "period.half": "{y}年{h}", "period.month": "{y}年{m}月",
    "period.noyear": "（未指明年份）",
    # citations
    "cite.no_section": "（无章节）", "cite.page": "第 {p} 页", "cite.chars": "第 {s}–{e} 字",
    "cite.source": "出处", "cite.passage": "段落",
    # figures
    "col.period": "时期", "col.value": "数值", "col.unit": "单位", "col.indicator": "指标", "col.measure": "口径",
    "col.written": "原文", "col.document": "来源报告",
    "measure.level": "", "measure.yoy": "同比", "measure.change": "变动", "measure.share_": "占比",
    "measure.target_": "目标", "measure.other": "",
    "figure.generic": "数据",
    # entities
    "ent.type": "类型", "ent.all": "全部", "ent.typed": "…或输入名称、别名", "ent.typed_ph": "辽宁省、专项债 …",
    "ent.none": "知识库中没有此类实体。", "ent.pick": "实体（可输入搜索）",
    "ent.choice": "{label}（{type}，提及 {n} 次）", "ent.aliases": "别名：{a}", "ent.no_aliases": "无别名",
    "ent.tab_figures": "数据（{n}）", "ent.tab_chart": "趋势", "ent.tab_graph": "关联网络",
    "ent.tab_passages": "原文段落（{n}）",
    "ent.no_figures": "该实体没有关联的数据。", "ent.select_row": "点选一行，查看该数据出处的原文段落。",
    "ent.no_series": "该实体没有哪项指标有两个及以上时期的数据。", "ent.indicator": "指标",
    "ent.series": "{label}（{n} 个{gran}）", "ent.axis_period": "时期", "ent.axis_value": "数值（{unit}）",
    "ent.axis_plain": "数值",
    "ent.col_neighbour": "关联实体", "ent.col_type": "类型", "ent.col_relation": "关系", "ent.col_weight": "关联强度",
    "ent.no_neighbours": "该实体没有关联实体。",
    "ent.not_found": "没有名为“{name}”的实体{hint}", "ent.near": "（是否要找：{near}？）",
    "type.region": "地区", "type.concept": "概念", "type.institution": "机构", "type.policy": "政策",
    "type.meeting": "会议", "type.document": "报告",
    "rel.coOccurs": "同段出现", "rel.mentions": "提及", "rel.issuedBy": "发布机构", "rel.abbreviates": "简称",
    "rel.refersTo": "指代", "rel.broader": "上位概念",
    "gran.month": "月", "gran.quarter": "季度", "gran.half": "半年", "gran.year": "年",
    # documents
    "doc.title": "标题", "doc.issuer": "发布机构", "doc.year": "年份", "doc.region": "地区", "doc.chars": "字数",
    "doc.chunks": "段落数", "doc.tables": "表格数", "doc.pages": "页数", "doc.file": "文件",
    "doc.add": "添加报告", "doc.upload": "上传报告：文本（TXT/MD）、PDF（含扫描件）、网页（HTML）、文档（DOCX/DOC）或表格（XLSX/XLS/CSV）", "doc.ingest": "导入",
    "doc.starting": "开始…",
    "prog.parse": "解析与抽取", "prog.index": "建立检索索引", "prog.embed": "计算语义向量", "prog.graph": "构建知识图谱",
    "prog.unit_parse": "个文件", "prog.unit_index": "", "prog.unit_embed": "段", "prog.unit_graph": "份报告",
    "prog.step": "第 {n}/{m} 步 · {stage}：{done}/{total} {unit}", "prog.loading": "正在加载模型…",
    "prog.eta": "预计还需 {t}", "prog.done": "完成，用时 {t}",
    "prog.sec": "{s} 秒", "prog.min": "{m} 分 {s} 秒", "prog.hour": "{h} 小时 {m} 分",
    "doc.refused": "无法导入 {name}：{reason}。知识库未作改动。", "doc.failed": "导入 {name} 失败：{err}",
    "doc.unchanged": "未变化（此前已导入）", "doc.replaced": "已替换", "doc.ingested": "已导入",
    "doc.duplicate": "未导入：与已有的 {twin} 内容相同",
    "doc.flash": "{name}：{verb}。",
    "doc.remove": "删除报告", "doc.report": "报告", "doc.remove_btn": "删除…",
    "doc.confirm": "确定删除 {label} 及由其提取的全部内容吗？", "doc.yes": "确认删除", "doc.cancel": "取消",
    "doc.removing": "正在删除并重建索引…", "doc.removed": "已删除 {title}（{source}）。",
    # export and SPARQL
    "exp.download": "下载知识图谱",
    "exp.caption": "点击时生成文件（大型图谱的 JSON-LD 需要几秒）。Turtle 和 N-Triples 合并各报告的命名图，JSON-LD 保留命名图。",
    "exp.sparql": "SPARQL 查询（只读）", "exp.example": "示例",
    "exp.query": "查询语句（已预先声明 pkg: qb: skos: prov: dcterms: entity: 等前缀）", "exp.run": "执行查询",
    "exp.rows": "共 {n} 行", "exp.ask": "ASK 结果：{v}", "exp.true": "是", "exp.false": "否",
    "ex.reports": "报告及其发布机构", "ex.liaoning": "辽宁：按指标和时期列出数据",
    "ex.regions": "数据最多的地区", "ex.concepts": "概念及其上位概念", "ex.policies": "政策及其发布机构",
    "ex.ask": "报告中是否有“旅游收入”数据？（ASK）",
}

_EN: dict[str, str] = {
    "app.title": "PolicyKG",
    "page.chat": "Chat", "page.entities": "Entities", "page.documents": "Documents", "page.export": "Export & SPARQL",
    "side.page": "Page", "side.lang": "语言 / Language", "side.kb": "Knowledge base directory",
    "side.kb_help": "A folder built by `kg ingest`; relative paths are relative to the project.",
    "side.summary": "{n} reports",
    "kb.missing": "No knowledge base at `{kb}` yet. Build one from the bundled reports with\n\n```bash\n"
                  "bash scripts/start.sh\n```\n\nor\n\n```bash\n.venv/bin/kg ingest --kb {kb} data/corpus\n```\n\n"
                  "then reload this page (or enter another knowledge base directory in the sidebar).",
    "kb.empty_dir": "empty knowledge base directory: enter e.g. data/kb",
    "kb.loading": "Loading the search indexes and the embedding model (once per knowledge base)…",
    "kb.still_loading": "still loading the knowledge base after {s} s: try again in a moment",
    "chat.placeholder": "Ask about the reports, e.g. 2024年辽宁省旅游收入是多少？",
    "chat.intro": "Ask a question about the ingested reports (in Chinese). Every answer quotes the passages it rests "
                  "on. Follow-ups such as 那山西呢？ 2023年呢？ 增速呢？ reuse the previous question.",
    "chat.searching": "Searching the reports…",
    "chat.followup": "Read with the previous question as: {q}",
    "chat.confidence": "Confidence: {level} ({p}, the model's estimate that the answer is right)",
    "confidence.high": "high", "confidence.mid": "medium", "confidence.low": "low",
    "chat.figures": "Figures used",
    "chat.related": "Related passages",
    "chat.related_none": "Related passages (none of them answers the question)",
    "chat.json": "Copy as JSON", "chat.download": "Download JSON",
    "fb.right": "Right", "fb.wrong": "Wrong",
    "fb.pick": "Which passage holds the right answer?", "fb.none_picked": "(no passage)",
    "fb.absent": "The reports do not answer this question",
    "fb.answer": "The right answer (e.g. 6325亿元)", "fb.send": "Send",
    "fb.thanks": "Kept ({id}); `kg fit --feedback` teaches the model with it.",
    "fb.need": "Give the right answer or pick its passage, or tick “the reports do not answer”",
    "fb.off": "This app is open to the network, so feedback is off: set POLICYKG_FEEDBACK_TOKEN and type it in the sidebar.",
    "fb.token": "Feedback token",
    "fb.this_figure": "Make this the right answer to the last question ({q})",
    "answer.not_found": "Not found in the reports",
    "answer.number": "Answer", "answer.entity": "Answer", "answer.text": "Answer",
    "answer.difference": "Computed (difference of two figures)", "answer.comparison": "Computed (comparison)",
    "answer.list": "Answer (list)", "answer.definition": "Answer (definition)",
    "understood.lead": "Understood as", "understood.indicator": "indicator", "understood.region": "region",
    "understood.period": "period", "understood.measure": "asking for",
    "measure.growth": "growth rate", "measure.balance": "balance", "measure.share": "share",
    "measure.target": "target", "measure.max": "the highest", "measure.min": "the lowest",
    "measure.diff": "the difference",
    "expect.percent": "a percentage", "expect.pp": "percentage points", "expect.money": "an amount",
    "expect.count": "a count", "expect.ratio": "a ratio",
    "q.1": "Q1", "q.2": "Q2", "q.3": "Q3", "q.4": "Q4", "h.1": "H1", "h.2": "H2",
    "period.year": "{y}", "period.quarter": "{y} {q}", "period.half": "{y} {h}", "period.month": "{y}-{m:02d}",
    "period.noyear": " (year not given)",
    "cite.no_section": "(no section)", "cite.page": "p. {p}", "cite.chars": "chars {s}–{e}",
    "cite.source": "source", "cite.passage": "passage",
    "col.period": "period", "col.value": "value", "col.unit": "unit", "col.indicator": "indicator",
    "col.measure": "measure", "col.written": "as written", "col.document": "report",
    "measure.level": "", "measure.yoy": "year on year", "measure.change": "change", "measure.share_": "share",
    "measure.target_": "target", "measure.other": "",
    "figure.generic": "figure",
    "ent.type": "Type", "ent.all": "all", "ent.typed": "…or type a name or alias", "ent.typed_ph": "辽宁省, 专项债 …",
    "ent.none": "No entities of this type in the knowledge base.", "ent.pick": "Entity (type to search)",
    "ent.choice": "{label} ({type}, {n} mentions)", "ent.aliases": "aliases: {a}", "ent.no_aliases": "no aliases",
    "ent.tab_figures": "Figures ({n})", "ent.tab_chart": "Over time", "ent.tab_graph": "Neighbourhood",
    "ent.tab_passages": "Passages ({n})",
    "ent.no_figures": "No figures are attached to this entity.",
    "ent.select_row": "Select a row to see the passage behind the figure.",
    "ent.no_series": "No indicator of this entity has values for two or more periods.", "ent.indicator": "Indicator",
    "ent.series": "{label} ({n} {gran}s)", "ent.axis_period": "period", "ent.axis_value": "value ({unit})",
    "ent.axis_plain": "value",
    "ent.col_neighbour": "neighbour", "ent.col_type": "type", "ent.col_relation": "relation",
    "ent.col_weight": "weight", "ent.no_neighbours": "This entity has no neighbours.",
    "ent.not_found": "No entity named “{name}”{hint}", "ent.near": " (did you mean {near}?)",
    "type.region": "region", "type.concept": "concept", "type.institution": "institution", "type.policy": "policy",
    "type.meeting": "meeting", "type.document": "report",
    "rel.coOccurs": "same passage", "rel.mentions": "mentions", "rel.issuedBy": "issued by",
    "rel.abbreviates": "abbreviates", "rel.refersTo": "refers to", "rel.broader": "broader",
    "gran.month": "month", "gran.quarter": "quarter", "gran.half": "half-year", "gran.year": "year",
    "doc.title": "title", "doc.issuer": "issuer", "doc.year": "year", "doc.region": "region", "doc.chars": "characters",
    "doc.chunks": "passages", "doc.tables": "tables", "doc.pages": "pages", "doc.file": "file",
    "doc.add": "Add a report", "doc.upload": "A report: text, PDF (scans too), web page, Word or Excel", "doc.ingest": "Ingest",
    "doc.starting": "starting…",
    "prog.parse": "parsing and extracting", "prog.index": "search index", "prog.embed": "embedding passages",
    "prog.graph": "building the graph",
    "prog.unit_parse": "files", "prog.unit_index": "", "prog.unit_embed": "passages", "prog.unit_graph": "reports",
    "prog.step": "step {n}/{m} · {stage}: {done}/{total} {unit}", "prog.loading": "loading the model…",
    "prog.eta": "about {t} left", "prog.done": "done in {t}",
    "prog.sec": "{s} s", "prog.min": "{m} min {s} s", "prog.hour": "{h} h {m} min",
    "doc.refused": "Could not ingest {name}: {reason}. The knowledge base is unchanged.",
    "doc.failed": "Ingesting {name} failed: {err}",
    "doc.unchanged": "unchanged (already ingested)", "doc.replaced": "replaced", "doc.ingested": "ingested",
    "doc.duplicate": "not ingested: the same report as {twin}, already stored",
    "doc.flash": "{name}: {verb}.",
    "doc.remove": "Remove a report", "doc.report": "Report", "doc.remove_btn": "Remove…",
    "doc.confirm": "Remove {label} and everything derived from it?", "doc.yes": "Yes, remove", "doc.cancel": "Cancel",
    "doc.removing": "Removing and re-indexing…", "doc.removed": "Removed {title} ({source}).",
    "exp.download": "Download the graph",
    "exp.caption": "Each file is written when you click (JSON-LD of a large graph takes a few seconds). Turtle and "
                   "N-Triples flatten the per-report named graphs; JSON-LD keeps them.",
    "exp.sparql": "SPARQL (read-only)", "exp.example": "Example",
    "exp.query": "Query (prefixes pkg: qb: skos: prov: dcterms: entity: … are predeclared)", "exp.run": "Run query",
    "exp.rows": "{n} rows", "exp.ask": "ASK: {v}", "exp.true": "true", "exp.false": "false",
    "ex.reports": "Reports and their issuers", "ex.liaoning": "辽宁: figures by indicator and period",
    "ex.regions": "Regions with the most observations", "ex.concepts": "Concepts and their broader concepts",
    "ex.policies": "Policies and who issued them", "ex.ask": "Is 旅游收入 reported anywhere? (ASK)",
}

CATALOGUE: dict[str, dict[str, str]] = {"zh": _ZH, "en": _EN}


# Streamlit writes a few words of its own (the file uploader's button and limits); in Chinese they are replaced
# through CSS, the only hook it offers.
_WIDGET_CSS = {"zh": """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after
  {content: "选择文件"; font-size: 0.875rem}
[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0}
[data-testid="stFileUploaderDropzoneInstructions"] span::after
  {content: "拖放到此处或点击选择 · 单个文件不超过 200MB · TXT、MD、PDF"; font-size: 0.875rem}
[data-testid="stStatusWidget"] button p, [data-testid="stStatusWidget"] label {font-size: 0}
[data-testid="stStatusWidget"] button p::after {content: "停止"; font-size: 0.875rem}
</style>"""}


def widget_css(lang: str) -> str:
    """A <style> block that puts Streamlit's own widget words in `lang` ('' when they already are)."""
    return _WIDGET_CSS.get(language(lang), "")


def language(code: str | None) -> str:
    """A supported language code; anything else is the default (Chinese)."""
    return code if code in CATALOGUE else DEFAULT


def tr(lang: str, key: str, **values: object) -> str:
    """The message `key` in `lang`, with {placeholders} filled; a key missing in `lang` falls back to Chinese."""
    text = CATALOGUE[language(lang)].get(key)
    if text is None:
        text = _ZH[key]  # a KeyError here is a programming error: the key is in no catalogue
    return text.format(**values) if values else text


def translator(lang: str) -> Callable[..., str]:
    """tr bound to one language: T("page.chat"), T("side.summary", n=5)."""
    lang = language(lang)
    return lambda key, **values: tr(lang, key, **values)


def label(lang: str, prefix: str, name: str) -> str:
    """A vocabulary word (type.region, rel.coOccurs) in `lang`, or the name itself when it has none."""
    key = f"{prefix}.{name}"
    for words in (CATALOGUE[language(lang)], _ZH):
        if key in words:
            return words[key]  # may be '' on purpose: a plain value (level) needs no word
    return name
