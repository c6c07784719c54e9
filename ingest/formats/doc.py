"""Legacy Word .doc and WPS .wps files through Debian's catdoc.

Why catdoc: antiword refuses WPS-saved Word 97 files such as the sample ("is not a Word Document"), python-docx
reads only .docx, and LibreOffice headless is a several-hundred-MB install for what the 300 kB catdoc package does
here. catdoc writes each paragraph on one line (-w) and a table's cells separated by TABs, one row a line, which
is already the table contract. What it leaves that is not the report is removed: inline field codes (TOC,
HYPERLINK, PAGEREF, PAGE), and the runs of a fast-saved file it cannot decode (UTF-16 bytes shown as Latin-1,
"ÿÐcGSÑvcw…"), which are counted. catdoc drops a row's trailing empty cells, so a row that holds only its label
comes out without a TAB; such a line between two rows is made a row again.
"""
from __future__ import annotations

import re
import shutil
import subprocess

from ingest.formats import TOOL_TIMEOUT, Extracted
from ingest.formats.zipped import OLE
from kg.errors import InputError

_FIELDS = re.compile(
    r"\bTOC(?:\s+\\[a-zA-Z](?:\s+\"[^\"]*\")?)+"
    r"|\bHYPERLINK\s+(?:\\[a-zA-Z]\s+)*(?:\"[^\"]*\"|\S+)"
    r"|\b(?:PAGEREF|NOTEREF|STYLEREF|SEQ|REF)\s+\S+(?:\s+\\[a-zA-Z*](?:\s+(?:MERGEFORMAT|\"[^\"]*\"))?)*"
    r"|\b(?:PAGE|NUMPAGES|SECTIONPAGES)\s+\\\*\s*\S+"
    r"|\b(?:EMBED|INCLUDEPICTURE|SHAPE)\s+(?:\"[^\"]*\"|\S+)(?:\s+\\[a-zA-Z*](?:\s+\S+)?)*")
# A run of bytes read as Windows-1252 that was UTF-16: Latin-1 letters and signs a Chinese report does not use.
_CP1252 = "\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e" \
          "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_ODD = re.compile("[\u00a1-\u00b6\u00b8-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                  "\u0192\u02c6\u02dc\u2020\u2021\u2039\u203a\u2122]")
_RUN = re.compile(f"[\x0b\x0c\x0e-\x7f{_CP1252}]{{2,}}")  # control bytes too: they fall inside such runs
_ROW_LABEL = 40  # characters: a tab-less line between table rows no longer than this is a row's label


def _ungarble(line: str) -> tuple[str, int]:
    """The line without undecodable runs, and how many were removed."""
    removed = 0

    def drop(m: re.Match) -> str:
        nonlocal removed
        if len(_ODD.findall(m.group(0))) >= 2:
            removed += 1
            return ""
        return m.group(0)

    out = _RUN.sub(drop, line)
    if _ODD.search(out) and not re.search(r"[\u3400-\u9fff]", out):  # what is left is one short garbled bit
        return "", removed + 1
    return out, removed


def clean_catdoc(text: str) -> tuple[str, int]:
    """catdoc's output as report text (see the module docstring): (text, garbled runs removed)."""
    lines, garbled = [], 0
    for raw in text.replace("\r", "").split("\n"):
        line, n = _ungarble(_FIELDS.sub("", raw))
        garbled += n
        lines.append(line.rstrip() if "\t" not in line else line.rstrip(" "))
    for i in range(1, len(lines) - 1):
        s = lines[i].strip()
        if s and "\t" not in lines[i] and "\t" in lines[i - 1] and "\t" in lines[i + 1] and len(s) <= _ROW_LABEL \
                and not re.search(r"[。；！？]$", s):
            lines[i] = lines[i] + "\t"
    return "\n".join(lines), garbled


def read_doc(data: bytes, path: str) -> Extracted:
    """A Word 97-2003 (.doc) or WPS (.wps) file; InputError when catdoc is missing or cannot read it."""
    if not data.startswith(OLE):
        what = "an RTF file" if data.lstrip()[:5] == b"{\\rtf" else "not a Word 97-2003 file (no OLE header)"
        raise InputError(path, f"{what}: open it in Word or WPS and save it as .docx")
    exe = shutil.which("catdoc")
    if exe is None:
        raise InputError(path, "reading .doc/.wps needs catdoc, which is not installed: apt-get install catdoc "
                               "(or save the file as .docx)")
    try:
        done = subprocess.run([exe, "-w", "-d", "utf-8", path], capture_output=True, timeout=TOOL_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise InputError(path, f"catdoc took more than {TOOL_TIMEOUT} s: save the file as .docx and ingest that") \
            from None
    err = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
    text = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or not text.strip():
        reason = next((e for e in err if "fast-saved" not in e), "no text")[:80]
        kind = "password-protected" if "encrypt" in reason.lower() else "unreadable"
        raise InputError(path, f"{kind} Word file (catdoc: {reason}): open it in Word or WPS and save it as .docx")
    cleaned, garbled = clean_catdoc(text)
    return Extracted((cleaned,), "doc", skipped=garbled)
