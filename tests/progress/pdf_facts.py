"""Read facts from PDF bytes without a PDF library: page count and the document's strings.

WeasyPrint packs objects into Flate-compressed object streams; decompressing them exposes the page
tree (/Type /Pages ... /Count n), the Info /Title and the outline titles (one per heading).
"""

import re
import zlib


def _objects(pdf: bytes) -> bytes:
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(chunks)


def page_count(pdf: bytes) -> int:
    counts = re.findall(rb"/Type /Pages/Kids \[[^\]]*\]/Count (\d+)", _objects(pdf))
    return max((int(c) for c in counts), default=0)


def strings(pdf: bytes) -> list[str]:
    """Title strings: literal (ASCII) or hex UTF-16BE with a BOM, as pydyf writes them."""
    found = []
    for match in re.finditer(rb"/Title (\((?:[^()\\]|\\.)*\)|<[0-9a-fA-F]+>)", _objects(pdf)):
        raw = match.group(1)
        if raw.startswith(b"("):
            found.append(re.sub(rb"\\([()\\])", rb"\1", raw[1:-1]).decode("latin-1"))
        else:
            data = bytes.fromhex(raw[1:-1].decode())
            found.append(data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode())
    return found
