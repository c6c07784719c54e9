"""The app's words for where an ingest stands (a kg.progress.Event): step, stage, counts and time left."""
from __future__ import annotations

from typing import Callable

from kg.progress import STAGES


def duration(seconds: float, T: Callable[..., str]) -> str:
    s = int(round(seconds))
    if s < 60:
        return T("prog.sec", s=s)
    if s < 3600:
        return T("prog.min", m=s // 60, s=s % 60)
    return T("prog.hour", h=s // 3600, m=s % 3600 // 60)


def progress_text(ev, T: Callable[..., str]) -> str:
    """E.g. 第 3/4 步 · 计算语义向量：128/601 段 · 预计还需 22 秒. A stage that names its unit (a file,
    a report) counts the one at hand and names it."""
    at = ev.done + 1 if ev.item and not ev.finished else ev.done
    known = ev.stage in STAGES
    stage, unit = (T(f"prog.{ev.stage}"), T(f"prog.unit_{ev.stage}")) if known else (ev.stage, "")
    parts = [T("prog.step", n=ev.number, m=ev.stages, stage=stage, done=at, total=ev.total, unit=unit).rstrip()]
    if ev.item and not ev.finished:
        parts[0] += f"（{ev.item}）"
    if ev.finished:
        parts.append(T("prog.done", t=duration(ev.elapsed, T)))
    elif ev.stage == "embed" and ev.done == 0:
        parts.append(T("prog.loading"))
    elif ev.eta is not None:
        parts.append(T("prog.eta", t=duration(ev.eta, T)))
    return " · ".join(parts)
