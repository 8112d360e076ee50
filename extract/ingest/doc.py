"""Word 97-2003 .doc files, converted to .docx by LibreOffice and read as such.

Each conversion runs in its own temporary directory with its own LibreOffice profile
(``-env:UserInstallation``), so parallel runs don't collide on a shared profile lock.
LibreOffice starts a child process (``soffice.bin``) that outlives a killed launcher, so
the conversion runs in its own process group and the whole group is killed on a timeout.

An OLE file holding an ``EncryptedPackage`` stream is a password-protected .docx (Office
wraps encrypted OOXML in an OLE container, so it sniffs as .doc); it is reported as such
rather than handed to LibreOffice, which would only fail on it. An OLE file without a
``WordDocument`` stream is not a Word file at all.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import IngestError
from ..model import RawDocument
from . import docx

# Seconds one conversion may take before it is abandoned.
TIMEOUT = 120
# OLE directory entries hold stream names in UTF-16LE.
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_WORD_DOCUMENT = "WordDocument".encode("utf-16-le")


def read(path: Path, data: bytes) -> RawDocument:
    """Convert a .doc with LibreOffice and read the result as a .docx.

    Args:
        path: the file, for messages.
        data: its bytes.

    Returns:
        The document's blocks, with ``format`` set to ``"doc"``.

    Raises:
        IngestError: password-protected, LibreOffice missing, or the conversion failed.
    """
    if _ENCRYPTED_PACKAGE in data:
        raise IngestError(path, "is password-protected", "remove the password and save again")
    # LibreOffice imports any file it cannot identify as plain text, so an OLE file without
    # a Word stream (a spreadsheet, a presentation, a damaged file) would come back as noise.
    if _WORD_DOCUMENT not in data:
        raise IngestError(path, "is not a Word document (damaged, or another Office 97-2003 file such as a "
                                "spreadsheet)", "open it in its application and save it as .docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise IngestError(path, "is a .doc (Word 97-2003) file and LibreOffice is not installed",
                          "install it (Debian: apt-get install libreoffice-writer-nogui) or save the file as .docx")
    with tempfile.TemporaryDirectory(prefix="planx-doc-") as tmp:
        workdir = Path(tmp)
        # A fixed ASCII name: LibreOffice names its output after the input, and the
        # original name may hold spaces or characters a shell or URL would mangle.
        source = workdir / "in.doc"
        source.write_bytes(data)
        _convert(path, [soffice, f"-env:UserInstallation={(workdir / 'profile').as_uri()}", "--headless",
                        "--convert-to", "docx", "--outdir", str(workdir), str(source)])
        converted = workdir / "in.docx"
        if not converted.exists():
            raise IngestError(path, "could not be converted by LibreOffice (damaged, password-protected or not a "
                                    "Word file)", "open it in Word or LibreOffice and save it as .docx")
        raw = docx.read(path, converted.read_bytes())
    raw.format = "doc"
    return raw


def _convert(path: Path, command: list[str]) -> None:
    """Run LibreOffice; on a timeout kill its whole process group and report it."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise IngestError(path, f"was not converted by LibreOffice within {TIMEOUT} s",
                          "open it in Word or LibreOffice and save it as .docx") from None
