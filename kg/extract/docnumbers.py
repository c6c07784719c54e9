"""Document numbers (国办发〔2024〕52号, 43号文) and 《titles》 in running text, issuers decoded where known."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.gazetteer_types import Region
from kg.extract.matching import normalise


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number such as 国办发〔2024〕52号, or a short reference such as 43号文 (year None)."""

    start: int
    end: int
    issuer: str | None  # 国办发; None when the text names none (〔2024〕5号, 20号文)
    year: int | None
    number: int
    institution: str | None = None  # id, when the issuer code is in doc_issuers.tsv
    region: str | None = None  # code, when the issuer starts with a province abbreviation (晋银发)

    @property
    def label(self) -> str:
        if self.year is None:
            return f"{self.issuer or ''}{self.number}号文"
        return f"{self.issuer or ''}〔{self.year}〕{self.number}号"


@dataclass(frozen=True, slots=True)
class Title:
    """A 《…》 span; start/end include the brackets, title has neither brackets nor whitespace."""

    start: int
    end: int
    title: str


_DOCNO = re.compile(r"(?P<pre>[\u4e00-\u9fff]{0,10})[〔\[【(](?P<year>(?:19|20)\d\d)[〕\]】)]第?(?P<num>\d{1,5})号")
_SHORT_REF = re.compile(r"(?<![\d〕\]】)])(?P<num>\d{1,4})号文")
_TITLE = re.compile(r"《(?P<t>[^《》]{1,150})》")
# An issuer code not in doc_issuers.tsv starts after the last of these: 根据某某发〔…〕 -> 某某发.
_STOP = re.compile(r".*[的在和与及据照按于将由对为是以称见、了印]")


class DocNumberFinder:
    """Document numbers whose issuer codes come from doc_issuers.tsv; {abbr}银发 codes take a province abbreviation."""

    def __init__(self, issuers: dict[str, str], abbr: dict[str, list[Region]]) -> None:
        self._issuers = {k: v for k, v in issuers.items() if not k.startswith("{abbr}")}
        self._regional_issuers = {k[len("{abbr}"):]: v for k, v in issuers.items() if k.startswith("{abbr}")}
        self._abbr = abbr

    def find(self, text: str) -> list[DocNumber]:
        """国办发〔2024〕52号 with 〔〕 [] 【】 () brackets and spaces anywhere; short forms 43号文, 国发20号文."""
        norm, where = normalise(text)
        out = []
        for m in _DOCNO.finditer(norm):
            issuer, inst, region = self._issuer(m["pre"])
            s = m.end("pre") - len(issuer or "")
            out.append(DocNumber(where[s], where[m.end() - 1] + 1, issuer, int(m["year"]), int(m["num"]),
                                 inst, region))
        for m in _SHORT_REF.finditer(norm):
            pre = norm[max(0, m.start() - 8):m.start()]
            code = next((pre[-k:] for k in range(len(pre), 0, -1) if pre[-k:] in self._issuers), None)
            s = m.start() - len(code or "")
            out.append(DocNumber(where[s], where[m.end() - 1] + 1, code, None, int(m["num"]),
                                 self._issuers.get(code or "")))
        return sorted(out, key=lambda d: d.start)

    def _issuer(self, pre: str) -> tuple[str | None, str | None, str | None]:
        """The longest known code ending the CJK run before the bracket (财政部在财库 -> 财库), else its tail."""
        for k in range(min(len(pre), 8), 0, -1):
            code = pre[-k:]
            if code in self._issuers:
                return code, self._issuers[code], None
            regions = self._abbr.get(code[0], [])
            if code[1:] in self._regional_issuers and regions:
                if len(regions) > 1:  # 青 is both 青海 and 青岛: keep the code, claim no region
                    return code, None, None
                return code, self._regional_issuers[code[1:]].format(code=regions[0].code), regions[0].code
        return _STOP.sub("", pre)[-6:] or None, None, None


def find_titles(text: str) -> list[Title]:
    """Every 《…》 span, title without brackets or whitespace."""
    return [Title(m.start(), m.end(), "".join(m["t"].split())) for m in _TITLE.finditer(text)]
