"""Office Open XML packages (.docx, .xlsx) checked before a library unpacks them: a zip, not encrypted, the part
the format needs present, and no zip bomb (total uncompressed size bounded)."""
from __future__ import annotations

import io
import zipfile

from ingest.formats import MAX_UNZIPPED, MAX_ZIP_MEMBERS
from kg.errors import InputError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .doc/.xls, and of an encrypted .docx/.xlsx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def encrypted_office(data: bytes) -> bool:
    """A password-protected .docx/.xlsx: Office wraps the encrypted package in a compound (OLE) file."""
    return data.startswith(OLE) and _ENCRYPTED in data


def check_zip(data: bytes, path: str, part: str, kind: str) -> None:
    """InputError unless data is an unencrypted OOXML package holding `part`, within the size bounds."""
    if encrypted_office(data):
        raise InputError(path, "password-protected Office file: open it, remove the password (File, Info, "
                               "Protect) and save it again")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(path, f"not a {kind} (not a zip package, or a damaged one): open it in Office or WPS "
                               "and save it again") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise InputError(path, f"{len(infos):,} parts in the package, over the limit of {MAX_ZIP_MEMBERS:,}: "
                               "not a report a person wrote; check the file")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise InputError(path, f"unpacks to {total / 1e6:,.0f} MB, over the limit of {MAX_UNZIPPED / 1e6:,.0f} MB "
                               "(a zip bomb, or a very large file): split it into parts")
    if part not in {i.filename for i in infos}:
        raise InputError(path, f"not a {kind}: the package has no {part} (another Office format under the wrong "
                               "suffix?): give the file its real suffix")
