"""Make the broken and awkward input files in this folder, and document how each was made.

The files are committed (each is small); run this only to remake them:

    .venv/bin/python tests/data/broken/make_broken.py

It needs python-docx and Pillow (installed with the test extra), LibreOffice (``soffice``)
for the PDFs and the damaged .doc, the fixtures in ``shared/fixtures`` beside the
repository, and for ``encrypted.docx`` only the ``msoffcrypto-tool`` command
(``pip install msoffcrypto-tool``). A file whose tool is missing is left as it is.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[3] / "shared" / "fixtures"
SAMPLE = "一、总体要求\n到2025年，制造业产品质量合格率达到97%以上，培育1000家以上高成长企业。\n"
TRADITIONAL = "一、總體要求\n到2025年，製造業產品質量合格率達到97%以上，培育1000家以上高成長企業。\n"
PASSWORD = "planx"


def main() -> None:
    """Write every file; report the ones skipped for want of a tool."""
    (HERE / "empty.docx").write_bytes(b"")
    (HERE / "empty.pdf").write_bytes(b"")
    (HERE / "text.docx").write_text(SAMPLE, encoding="utf-8")  # a text file saved as .docx
    (HERE / "utf16-no-bom.txt").write_bytes(SAMPLE.encode("utf-16-le"))
    (HERE / "gbk.txt").write_bytes(SAMPLE.encode("gbk"))
    # Traditional Chinese in Big5: GB18030 decodes the bytes, but into mojibake.
    (HERE / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (HERE / "xxe.docx").write_bytes(entity_docx(levels=3))
    (HERE / "billion-laughs.docx").write_bytes(entity_docx(levels=9))
    # What a browser saves when the "PDF" link led to a login page.
    (HERE / "html.pdf").write_text(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>统一身份认证</title></head>"
        "<body><form><p>请登录后下载附件</p><input name=\"user\"><input name=\"pass\" type=\"password\">"
        "</form></body></html>\n", encoding="utf-8")
    (HERE / "bomb.docx").write_bytes(zip_bomb())
    (HERE / "scanned.pdf").write_bytes(scanned_pdf())
    docx = (FIXTURES / "jiangsu-quality-opinion-2016.docx").read_bytes()
    (HERE / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    (HERE / "corrupt.doc").write_bytes(corrupt_doc((FIXTURES / "suzhou-quality-plan-14fyp.doc").read_bytes()))
    skipped = []
    if shutil.which("soffice"):
        pdf = soffice_pdf(SAMPLE * 20)
        (HERE / "truncated.pdf").write_bytes(pdf[: len(pdf) // 2])
        options = ('{"EncryptFile":{"type":"boolean","value":"true"},'
                   f'"DocumentOpenPassword":{{"type":"string","value":"{PASSWORD}"}}}}')
        (HERE / "encrypted.pdf").write_bytes(soffice_pdf(SAMPLE, options))
    else:
        skipped += ["truncated.pdf", "encrypted.pdf"]
    if shutil.which("msoffcrypto-tool"):
        (HERE / "encrypted.docx").write_bytes(encrypted_docx())
    else:
        skipped.append("encrypted.docx")
    if skipped:
        print("left as they are (tool missing):", ", ".join(skipped))


def zip_bomb() -> bytes:
    """A tiny .docx whose document part claims to unpack to 4 GiB.

    A real bomb of that size would not fit in the repository; the reader refuses files by
    the sizes the zip declares, before unpacking anything, so the claim is what counts. The
    size fields of the local header (offset 22) and the central directory entry (offset 24)
    are overwritten.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    data = bytearray(buffer.getvalue())
    # (signature, offset of the uncompressed size, of the name length, of the name)
    for signature, size_at, length_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        header = data.find(signature)
        while header != -1:
            length = struct.unpack_from("<H", data, header + length_at)[0]
            if data[header + name_at : header + name_at + length] == b"word/document.xml":
                struct.pack_into("<I", data, header + size_at, 0xFFFFFFF0)
            header = data.find(signature, header + 4)
    return bytes(data)


def entity_docx(levels: int) -> bytes:
    """The smallest .docx Word opens, its document part declaring a DOCTYPE with hostile
    entities, all referenced: a local file (XXE), a URL and an external DTD (requests out)
    and ``levels`` of entities nesting ten of the one below ("billion laughs" at 9: 3 GB)."""
    content_types = ('<?xml version="1.0" encoding="UTF-8"?>'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/word/document.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    relationships = ('<?xml version="1.0" encoding="UTF-8"?>'
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
                     'officeDocument/2006/relationships/officeDocument"/></Relationships>')
    laughs = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1))
    doctype = (f'<!DOCTYPE w:document [<!ENTITY file SYSTEM "file:///etc/passwd">'
               f'<!ENTITY web SYSTEM "http://127.0.0.1:9/planx.xml">'
               f'<!ENTITY % remote SYSTEM "http://127.0.0.1:9/planx.dtd">%remote;{laughs}]>')
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in SAMPLE.splitlines())
    paragraphs += f"<w:p><w:r><w:t>&file;&web;&lol{levels};</w:t></w:r></w:p>"
    document = ('<?xml version="1.0" encoding="UTF-8"?>' + doctype
                + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                + paragraphs + "</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", relationships)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A one-page PDF holding only an image, as a scanner makes it: no text layer."""
    from PIL import Image, ImageDraw

    page = Image.new("1", (620, 877), 1)
    draw = ImageDraw.Draw(page)
    for top in range(120, 760, 28):  # lines of "text" as a scan shows them: ink, not characters
        draw.rectangle((80, top, 540 if top % 140 else 300, top + 10), fill=0)
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=75)
    return out.getvalue()


def corrupt_doc(doc: bytes) -> bytes:
    """The Suzhou .doc with its content sectors zeroed: the OLE header and directory (with its
    ``WordDocument`` stream entry) survive, so it looks like Word, but LibreOffice cannot load it."""
    data = bytearray(doc)
    directory = data.find("Root Entry".encode("utf-16-le"))
    data[512:directory] = bytes(directory - 512)
    return bytes(data)


def soffice_pdf(text: str, options: str = "") -> bytes:
    """``text`` exported to PDF by LibreOffice, with optional PDF export filter options."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.txt"
        source.write_text(text, encoding="utf-8")
        target = "pdf:writer_pdf_Export:" + options if options else "pdf"
        subprocess.run(["soffice", f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", tmp, str(source)], check=True, capture_output=True)
        return (Path(tmp) / "in.pdf").read_bytes()


def encrypted_docx() -> bytes:
    """A small .docx saved with a password, as Word does it (an OLE file with an
    ``EncryptedPackage`` stream)."""
    import docx

    with tempfile.TemporaryDirectory() as tmp:
        plain, locked = Path(tmp) / "plain.docx", Path(tmp) / "locked.docx"
        document = docx.Document()
        for line in SAMPLE.splitlines():
            document.add_paragraph(line)
        document.save(plain)
        subprocess.run(["msoffcrypto-tool", "-e", "-p", PASSWORD, str(plain), str(locked)], check=True)
        return locked.read_bytes()


if __name__ == "__main__":
    main()
