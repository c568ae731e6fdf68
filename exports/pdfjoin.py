"""Join tagged PDFs (the parts of one report) into one tagged PDF, streaming.

The PDF report is compiled in parts (exports/formats/report_pdf.py); this
writes each part's objects to the output as soon as the part is read,
renumbered, so memory stays one part wide however long the report. What the
result keeps, that a plain page copy would lose:

* one page tree: every page's /Parent is the output's /Pages;
* the structure tree (tagged PDF): each part's /Document children become
  children of one /Document element; the /ParentTree is merged (each part's
  /StructParents keys shifted), element IDs and the table /Headers that cite
  them are prefixed per part so they stay unique, the /IDTree is rebuilt;
  /RoleMap is the first part's;
* the outline (bookmarks): each part's, in order, pointing at the new pages;
* the catalog's /Lang, /MarkInfo, /ViewerPreferences /DisplayDocTitle, the
  first part's XMP metadata (page count corrected) and document /Info.

Objects are read with pikepdf (qpdf) one part at a time and written with
`unparse(resolved=True)`; object references in the unparsed bytes are
renumbered by a tokenizer that skips strings and names, so text (which only
appears inside PDF strings and content streams, never rewritten) is never
touched. The output uses object streams and a cross-reference stream, like
Typst's own output. Pure: no Django.
"""

from __future__ import annotations

import re
import zlib
from array import array
from typing import IO

import pikepdf

CATALOG, PAGES, STRUCT_ROOT, DOCUMENT = 1, 2, 3, 4


FIRST_FREE = 10


OBJECTS_PER_STREAM = 200


TOKEN = re.compile(
    rb"(?P<str>\((?:\\.|[^\\()])*\))"  # literal string (qpdf escapes parentheses)
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"  # hex string
    rb"|(?P<name>/[^\s/\[\]()<>{}%]*)"  # name
    rb"|(?P<num>\d+) (?P<gen>\d+) R\b",  # indirect reference
    re.S,
)


# Cross-reference entries are packed in 8 bytes each (a dict would cost ~150
# bytes per object, and a 10,000-claim report has about a million objects):
# 0 = free, offset + 1 for an object in the file, IN_STREAM | stream << 16 |
# index for one inside an object stream.
IN_STREAM = 1 << 62


def _tree_nodes(node):
    """Every node of a number or name tree."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if "/Kids" in current:
            stack.extend(current.Kids)


def _outline_items(root) -> list[tuple[pikepdf.Object, int, pikepdf.Object, pikepdf.Object]]:
    """(title, depth, destination, item) depth-first; a destination's first
    element is a page of this part."""
    found = []

    def walk(item, depth):
        while item is not None:
            dest = item.get("/Dest")
            if dest is None and "/A" in item and item.A.get("/S") == "/GoTo":
                dest = item.A.D
            found.append((item.Title, depth, dest, item))
            if "/First" in item:
                walk(item.First, depth + 1)
            item = item.get("/Next")

    if root is not None and "/First" in root:
        walk(root.First, 0)
    return found


class TaggedPdfJoiner:
    """`append(path)` each part in order, then `close()`."""

    def __init__(self, out: IO[bytes]):
        self.out = out
        self.xref = array("Q")
        self.pending: list[tuple[int, bytes]] = []  # objects waiting for an object stream
        self.next_id = FIRST_FREE
        self.page_ids: list[int] = []
        self.document_kids: list[bytes] = []
        self.parent_tree: list[tuple[int, int]] = []  # key -> object number of the value
        self.id_tree: list[tuple[bytes, int]] = []  # (unparsed ID, object number)
        self.outline: list[tuple[bytes, int, bytes]] = []  # (unparsed title, depth, dest)
        self.key_offset = 0
        self.parts = 0
        self.first: dict[str, bytes] = {}
        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    @property
    def page_count(self) -> int:
        return len(self.page_ids)

    # ------------------------------------------------------------ writing
    def _allocate(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _set(self, number: int, value: int) -> None:
        if number >= len(self.xref):
            self.xref.extend([0] * (number + 1 - len(self.xref) + 65536))
        self.xref[number] = value

    def _write_direct(self, number: int, body: bytes) -> None:
        self._set(number, self.out.tell() + 1)
        self.out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _queue(self, number: int, body: bytes) -> None:
        self.pending.append((number, body))
        if len(self.pending) >= OBJECTS_PER_STREAM:
            self._flush_object_stream()

    def _flush_object_stream(self) -> None:
        if not self.pending:
            return
        stream = self._allocate()
        header, bodies, position = [], [], 0
        for index, (number, body) in enumerate(self.pending):
            header.append(b"%d %d" % (number, position))
            bodies.append(body)
            position += len(body) + 1
            self._set(number, IN_STREAM | stream << 16 | index)
        head = b" ".join(header) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n", 6)
        self._write_direct(
            stream,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (len(self.pending), len(head), len(data))
            + data
            + b"\nendstream",
        )
        self.pending = []

    # ------------------------------------------------------------ one part
    def append(self, path: str) -> int:
        """Copy one part; returns its number of pages."""
        with pikepdf.open(path) as pdf:
            return self._append(pdf)

    def _append(self, pdf: pikepdf.Pdf) -> int:
        part = self.parts
        self.parts += 1
        root = pdf.Root
        struct_root = root.StructTreeRoot
        top = struct_root.K
        document = top[0] if isinstance(top, pikepdf.Array) else top
        if document.S != "/Document":
            raise ValueError("Each part must have one /Document element at the top.")
        base = self.next_id
        self.next_id = base + int(pdf.trailer.Size)
        shared = {
            root.Pages.objgen[0]: b"%d 0 R" % PAGES,
            struct_root.objgen[0]: b"%d 0 R" % STRUCT_ROOT,
            document.objgen[0]: b"%d 0 R" % DOCUMENT,
        }
        # Objects rebuilt for the whole file at close(), not copied.
        skip = set(shared) | {root.objgen[0]}
        for tree in ("/ParentTree", "/IDTree"):
            if tree in struct_root:
                skip.update(n.objgen[0] for n in _tree_nodes(struct_root[tree]) if n.is_indirect)
        outline = _outline_items(root.get("/Outlines"))
        if "/Outlines" in root:
            skip.add(root.Outlines.objgen[0])
            skip.update(item.objgen[0] for *_, item in outline if item.is_indirect)
        for key in ("/Metadata", "/ViewerPreferences", "/MarkInfo"):
            if key in root and root[key].is_indirect:
                skip.add(root[key].objgen[0])
        if "/Info" in pdf.trailer and pdf.trailer.Info.is_indirect:
            skip.add(pdf.trailer.Info.objgen[0])

        def renumber(raw: bytes) -> bytes:
            def replace(match: re.Match) -> bytes:
                if match.group("num") is None:
                    return match.group(0)
                number = int(match.group("num"))
                return shared.get(number) or b"%d 0 R" % (base + number)

            return TOKEN.sub(replace, raw)

        prefix = b"p%04d-" % part
        ids = []
        if "/IDTree" in struct_root:
            for key, element in pikepdf.NameTree(struct_root.IDTree).items():
                element.ID = pikepdf.String(prefix + bytes(element.ID))
                raw_key = key.encode("latin-1") if isinstance(key, str) else bytes(key)
                ids.append((pikepdf.String(prefix + raw_key), element.objgen[0]))
        pages = list(pdf.pages)
        for page in pages:
            obj = page.obj
            if obj.Parent.objgen != root.Pages.objgen:
                raise ValueError("Each part must have a flat page tree.")
            if "/StructParents" in obj:
                obj.StructParents = int(obj.StructParents) + self.key_offset
            for annotation in obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + self.key_offset
        for obj in pdf.objects:
            number = obj.objgen[0]
            if number == 0 or number in skip:
                continue
            if isinstance(obj, pikepdf.Stream):
                if obj.stream_dict.get("/Type") in ("/ObjStm", "/XRef"):
                    continue
                raw = obj.read_raw_bytes()
                head = pikepdf.Dictionary(
                    {k: v for k, v in obj.stream_dict.items() if k != "/Length"}
                )
                body = renumber(head.unparse(resolved=True))
                body = body[:2] + b" /Length %d" % len(raw) + body[2:]
                self._write_direct(base + number, body + b"\nstream\n" + raw + b"\nendstream")
                continue
            if (
                isinstance(obj, pikepdf.Dictionary)
                and "/A" in obj
                and obj.get("/Type") == "/StructElem"
            ):
                attributes = obj.A if isinstance(obj.A, pikepdf.Array) else [obj.A]
                for attribute in attributes:
                    if isinstance(attribute, pikepdf.Dictionary) and "/Headers" in attribute:
                        attribute.Headers = pikepdf.Array(
                            pikepdf.String(prefix + bytes(h)) for h in attribute.Headers
                        )
            self._queue(base + number, renumber(obj.unparse(resolved=True)))
        self.page_ids.extend(base + page.obj.objgen[0] for page in pages)

        kids = document.K if isinstance(document.K, pikepdf.Array) else [document.K]
        self.document_kids.extend(renumber(kid.unparse()) for kid in kids)
        highest = -1
        for key, value in pikepdf.NumberTree(struct_root.ParentTree).items():
            if value.is_indirect:
                self.parent_tree.append((key + self.key_offset, base + value.objgen[0]))
            else:
                number = self._allocate()
                self._queue(number, renumber(value.unparse(resolved=True)))
                self.parent_tree.append((key + self.key_offset, number))
            highest = max(highest, key)
        self.key_offset += max(highest + 1, int(struct_root.get("/ParentTreeNextKey", 0)))
        self.id_tree.extend((key.unparse(), base + number) for key, number in ids)
        for title, depth, dest, _ in outline:
            if isinstance(dest, pikepdf.Array):
                self.outline.append((title.unparse(), depth, renumber(dest.unparse())))
        if part == 0:
            self.first["lang"] = root.get("/Lang", pikepdf.String("en")).unparse()
            self.first["rolemap"] = (
                struct_root.RoleMap.unparse(resolved=True) if "/RoleMap" in struct_root else b"<<>>"
            )
            self.first["xmp"] = root.Metadata.read_bytes() if "/Metadata" in root else b""
            self.first["info"] = (
                pdf.trailer.Info.unparse(resolved=True) if "/Info" in pdf.trailer else b"<<>>"
            )
        return len(pages)

    # ------------------------------------------------------------ the end
    def _write_outline(self) -> int:
        outlines = self._allocate()
        items = [self._allocate() for _ in self.outline]
        parent_of: dict[int, int] = {}
        children: dict[int, list[int]] = {outlines: []}
        last_at_depth: dict[int, int] = {}
        for item, (_, depth, _) in zip(items, self.outline, strict=True):
            parent = outlines if depth == 0 else last_at_depth.get(depth - 1, outlines)
            parent_of[item] = parent
            children[parent].append(item)
            children[item] = []
            last_at_depth[depth] = item
            for deeper in [d for d in last_at_depth if d > depth]:
                del last_at_depth[deeper]
        for item, (title, _, dest) in zip(items, self.outline, strict=True):
            siblings = children[parent_of[item]]
            position = siblings.index(item)
            links = b""
            if position > 0:
                links += b" /Prev %d 0 R" % siblings[position - 1]
            if position < len(siblings) - 1:
                links += b" /Next %d 0 R" % siblings[position + 1]
            kids = children[item]
            if kids:  # closed: a negative count
                links += b" /First %d 0 R /Last %d 0 R /Count -%d" % (kids[0], kids[-1], len(kids))
            self._queue(
                item,
                b"<< /Title %s /Parent %d 0 R /Dest %s%s >>"
                % (title, parent_of[item], dest, links),
            )
        top = children[outlines]
        ends = b" /First %d 0 R /Last %d 0 R" % (top[0], top[-1]) if top else b""
        self._queue(outlines, b"<< /Type /Outlines /Count %d%s >>" % (len(top), ends))
        return outlines

    def close(self) -> None:
        """Write the page tree, structure tree, outline, catalog and cross-references."""
        queue = self._queue
        queue(
            PAGES,
            b"<< /Type /Pages /Count %d /Kids [ %s ] >>"
            % (len(self.page_ids), b" ".join(b"%d 0 R" % n for n in self.page_ids)),
        )
        queue(
            DOCUMENT,
            b"<< /Type /StructElem /S /Document /P %d 0 R /K [ %s ] >>"
            % (STRUCT_ROOT, b" ".join(self.document_kids)),
        )
        parent_tree = self._allocate()
        queue(
            parent_tree,
            b"<< /Nums [ %s ] >>"
            % b" ".join(b"%d %d 0 R" % entry for entry in sorted(self.parent_tree)),
        )
        id_tree = self._allocate()
        queue(id_tree, b"<< /Names [ %s ] >>" % b" ".join(b"%s %d 0 R" % e for e in self.id_tree))
        queue(
            STRUCT_ROOT,
            b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d"
            b" /IDTree %d 0 R /RoleMap %s >>"
            % (DOCUMENT, parent_tree, self.key_offset, id_tree, self.first.get("rolemap", b"<<>>")),
        )
        outlines = self._write_outline()
        metadata = b""
        if self.first.get("xmp"):
            xmp = re.sub(
                rb"<xmpTPg:NPages>\d+</xmpTPg:NPages>",
                b"<xmpTPg:NPages>%d</xmpTPg:NPages>" % len(self.page_ids),
                self.first["xmp"],
            )
            xmp_id = self._allocate()
            self._write_direct(
                xmp_id,
                b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp)
                + xmp
                + b"\nendstream",
            )
            metadata = b" /Metadata %d 0 R" % xmp_id
        queue(
            CATALOG,
            b"<< /Type /Catalog /Pages %d 0 R /StructTreeRoot %d 0 R /MarkInfo << /Marked true >>"
            b" /Lang %s /ViewerPreferences << /DisplayDocTitle true >> /Outlines %d 0 R"
            b" /PageMode /UseOutlines%s >>"
            % (PAGES, STRUCT_ROOT, self.first.get("lang", b"(en)"), outlines, metadata),
        )
        info = self._allocate()
        queue(info, self.first.get("info", b"<<>>"))
        self._flush_object_stream()
        self._write_xref_stream(info)

    def _write_xref_stream(self, info: int) -> None:
        xref_id = self._allocate()
        size = xref_id + 1
        self._set(xref_id, self.out.tell() + 1)
        rows = bytearray()
        for number in range(size):
            value = self.xref[number] if number < len(self.xref) else 0
            if value & IN_STREAM:
                stream, index = (value >> 16) & ((1 << 40) - 1), value & 0xFFFF
                rows += b"\x02" + stream.to_bytes(5, "big") + index.to_bytes(2, "big")
            elif value:
                rows += b"\x01" + (value - 1).to_bytes(5, "big") + b"\x00\x00"
            else:
                rows += b"\x00" * 6 + b"\xff\xff"
        data = zlib.compress(bytes(rows), 6)
        start = self.out.tell()
        self.out.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 5 2 ] /Root %d 0 R /Info %d 0 R"
            b" /Filter /FlateDecode /Length %d >>\nstream\n"
            % (xref_id, size, CATALOG, info, len(data))
            + data
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
        )
