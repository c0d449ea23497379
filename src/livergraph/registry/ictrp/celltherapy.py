"""Recognising cell therapies in an intervention as written: cell type, tissue source and donor,
with the same standard identifiers the curated data uses (``data/vocabulary/terms.yaml``, from
``../shared/reference/terms.csv``). Only what the text says is recorded: a donor is set when the
text says autologous or allogeneic, never inferred from the tissue.
"""
from __future__ import annotations

import re
from typing import Any

#: (pattern, cell type CURIE, tissue source CURIE or None), most specific first
CELL_RULES: list[tuple[re.Pattern[str], str, str | None]] = [(re.compile(p, re.IGNORECASE), c, t)
                                                             for p, c, t in [
    (r"wharton'?s?\W*jelly", "CL:0002568", "UBERON:0003422"),
    (r"umbilical\W*cord\W*(blood\W*)?mononuclear", "CL:2000085", "UBERON:0012168"),
    (r"cord\W*blood\W*(hematopoietic|haematopoietic)?\W*stem", "CL:2000095", "UBERON:0012168"),
    (r"umbilical\W*cord.{0,40}(mesenchymal|stromal|\bmscs?\b|stem)|\buc-?mscs?\b|\bhuc-?mscs?\b",
     "CL:0002569", "UBERON:0002331"),
    (r"bone\W*marrow\W*(derived\W*)?mononuclear|\bbm-?mncs?\b", "CL:0010004", "UBERON:0002371"),
    (r"bone\W*marrow.{0,40}(mesenchymal|stromal|\bmscs?\b)|\bbm-?mscs?\b", "CL:0002540",
     "UBERON:0002371"),
    (r"adipose.{0,40}(mesenchymal|stromal|stem)|\bad-?mscs?\b|\bads?cs?\b", "CL:0002570",
     "UBERON:0001013"),
    (r"dental\W*pulp\W*stem|\bdpscs?\b", "CL:4030035", "UBERON:0001754"),
    (r"peripheral\W*blood\W*stem|\bpbscs?\b", "CL:0002246", "UBERON:0000178"),
    (r"peripheral\W*blood\W*mononuclear|\bpbmcs?\b", "CL:2000001", "UBERON:0000178"),
    (r"ha?ematopoietic\W*stem|\bhscs?\b", "CL:0000037", None),
    (r"regulatory\W*t\W*cells?|\btregs?\b", "CL:0000815", None),
    (r"mesenchymal\W*(stem|stromal)|\bmscs?\b", "CL:0000134", None),
]]
AUTOLOGOUS = re.compile(r"\bautologous\b", re.IGNORECASE)
ALLOGENEIC = re.compile(r"\ballogen(e)?ic\b", re.IGNORECASE)


def cell_therapy(text: str) -> dict[str, Any] | None:
    """Cell-therapy properties named by ``text`` (cellType, tissueSource, donorType), or None
    when it names no cell therapy."""
    for pattern, cell, tissue in CELL_RULES:
        if pattern.search(text):
            out: dict[str, Any] = {"cellType": cell}
            if tissue:
                out["tissueSource"] = tissue
            auto, allo = AUTOLOGOUS.search(text), ALLOGENEIC.search(text)
            if auto and not allo:
                out["donorType"] = "autologous"
            elif allo and not auto:
                out["donorType"] = "allogeneic"
            return out
    return None
