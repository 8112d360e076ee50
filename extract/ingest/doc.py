"""Word 97-2003 .doc files, converted to .docx by LibreOffice and read as such.

Each conversion gets its own LibreOffice profile directory, so parallel runs don't collide.
An OLE file holding an ``EncryptedPackage`` stream is a password-protected .docx, which
sniffs as .doc: it is reported as such rather than handed to LibreOffice.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import IngestError
from ..model import RawDocument
from . import docx

# Seconds one conversion may take before it is abandoned.
TIMEOUT = 120


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path, data: bytes) -> RawDocument:
    """Convert ``path`` with LibreOffice and read the result.

    Raises:
        IngestError: encrypted, LibreOffice missing, or the conversion failed.
    """
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise IngestError(path, "is password-protected", "remove the password in Word and save it again")
    soffice = _soffice()
    if soffice is None:
        raise IngestError(path, "is a .doc (Word 97-2003) file and LibreOffice is not installed",
                          "install it (Debian: apt-get install libreoffice-writer-nogui) or save the file as .docx")
    with tempfile.TemporaryDirectory(prefix="planx-doc-") as tmp:
        source = Path(tmp) / "in.doc"
        source.write_bytes(data)
        command = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                   "--convert-to", "docx", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise IngestError(path, f"LibreOffice did not convert it within {TIMEOUT} s",
                              "open and re-save it as .docx") from None
        converted = Path(tmp) / "in.docx"
        if not converted.exists():
            raise IngestError(path, "could not be converted by LibreOffice (damaged or not a Word file)",
                              "open it in Word or LibreOffice and save it as .docx")
        raw = docx.read(path, converted.read_bytes())
    raw.format = "doc"
    return raw
