"""Attachments: checked by their bytes (not the name the browser sent) and size before they reach the disk."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from hotline.lib.errors import InvalidInput

if TYPE_CHECKING:
    from hotline.directory.models import Staff
    from hotline.tickets.models import Attachment, ReturnRequest, Ticket

# Magic numbers of the accepted types; anything else is refused whatever its extension says.
_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", ".png"),
    (b"WEBP", 8, "image/webp", ".webp"),
    (b"%PDF-", 0, "application/pdf", ".pdf"),
]


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed the checks, with its sniffed content type."""

    name: str
    content: bytes
    content_type: str
    extension: str


def sniff(head: bytes) -> tuple[str, str] | None:
    """The content type and extension that `head` (the first bytes) proves, or None."""
    for magic, offset, content_type, ext in _SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            if content_type == "image/webp" and head[:4] != b"RIFF":
                continue
            return content_type, ext
    return None


def check_upload(upload: UploadedFile, *, field: str) -> CheckedUpload:
    """Refuse empty, oversize or unrecognised files with a clear message naming the file."""
    name = os.path.basename(upload.name or "file")[:200]
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(f"文件“{name}”超过{limit // (1024 * 1024)}MB", field=field, code="file_too_large")
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise InvalidInput(f"文件“{name}”超过{limit // (1024 * 1024)}MB", field=field, code="file_too_large")
    if not content:
        raise InvalidInput(f"文件“{name}”为空", field=field, code="file_empty")
    sniffed = sniff(content[:16])
    if sniffed is None or sniffed[0] not in settings.ATTACHMENT_CONTENT_TYPES:
        raise InvalidInput(f"文件“{name}”不是允许的格式（JPEG、PNG、WebP 图片或 PDF）", field=field,
                           code="file_type_not_allowed")
    if sniffed[0].startswith("image/"):
        content = without_metadata(content, sniffed[0], name=name, field=field)
    return CheckedUpload(name=name, content=content, content_type=sniffed[0], extension=sniffed[1])


_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def without_metadata(content: bytes, content_type: str, *, name: str, field: str) -> bytes:
    """The picture decoded and encoded again without EXIF, GPS or text metadata (PIPL: a phone photo carries the
    place it was taken). A picture whose header parses but whose pixels do not decode is refused; bytes in which
    Pillow finds no picture header at all hold no metadata it could read and pass on their magic number alone."""
    try:
        image = Image.open(io.BytesIO(content))
    except (UnidentifiedImageError, OSError):
        return content
    try:
        with image:
            image.load()
            # Turn the pixels as the EXIF orientation says before that tag is dropped, so the photo stays upright.
            clean = ImageOps.exif_transpose(image)
            if content_type == "image/jpeg" and clean.mode not in ("RGB", "L", "CMYK"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 92} if content_type != "image/png" else {}
            clean.save(out, format=_PIL_FORMATS[content_type], **options)
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidInput(f"文件“{name}”不是有效的图片", field=field, code="file_not_an_image") from exc
    return out.getvalue()


def store(ticket: Ticket, upload: CheckedUpload, *, by: Staff, purpose: str, now: dt.datetime,
          return_request: ReturnRequest | None = None) -> Attachment:
    """Write a checked upload to disk under a generated name and record it."""
    from hotline.tickets.models import Attachment

    attachment = Attachment(ticket=ticket, purpose=purpose, original_name=upload.name, content_type=upload.content_type,
                            size=len(upload.content), uploaded_by=by, uploaded_at=now, return_request=return_request)
    attachment.file.save(f"{ticket.number}{upload.extension}", ContentFile(upload.content), save=False)
    attachment.save()
    return attachment
