"""Attachments: the type is proved by the file's bytes, never by its name or the browser's claim; size is capped."""

import pytest
from django.test import override_settings

from hotline.lib.errors import InvalidInput
from hotline.tickets import attachments
from tests.tickets.support import JPEG, MONDAY, PNG, WorkflowTestCase, photo

WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"\x00" * 32


class TestSniff:
    @pytest.mark.parametrize(("head", "expected"), [
        (JPEG, ("image/jpeg", ".jpg")), (PNG, ("image/png", ".png")), (WEBP, ("image/webp", ".webp")),
        (PDF, ("application/pdf", ".pdf")),
    ])
    def test_it_recognises_the_accepted_types_by_their_magic_numbers(self, head, expected):
        assert attachments.sniff(head[:16]) == expected

    @pytest.mark.parametrize("head", [b"MZ\x90\x00", b"<html><script>", b"GIF89a", b"XXXXXXXXWEBP", b""])
    def test_it_recognises_nothing_else(self, head):
        assert attachments.sniff(head) is None


class TestCheckUpload:
    def test_it_trusts_the_bytes_not_the_name_or_claimed_type(self):
        checked = attachments.check_upload(photo("scan.pdf", JPEG, "application/pdf"), field="photos")
        assert (checked.content_type, checked.extension, checked.name) == ("image/jpeg", ".jpg", "scan.pdf")

    def test_it_strips_directories_from_the_name(self):
        assert attachments.check_upload(photo("../../etc/passwd.png"), field="photos").name == "passwd.png"

    def test_it_refuses_a_disguised_executable(self):
        with pytest.raises(InvalidInput) as caught:
            attachments.check_upload(photo("photo.jpg", b"MZ\x90\x00" + b"\x00" * 60, "image/jpeg"), field="photos")
        assert (caught.value.field, caught.value.code) == ("photos", "file_type_not_allowed")

    def test_it_refuses_an_empty_file(self):
        with pytest.raises(InvalidInput) as caught:
            attachments.check_upload(photo("empty.png", b""), field="files")
        assert (caught.value.field, caught.value.code) == ("files", "file_empty")

    @override_settings(ATTACHMENT_MAX_BYTES=64)
    def test_it_accepts_a_file_at_the_limit_and_refuses_one_byte_more(self):
        attachments.check_upload(photo("ok.png", PNG[:8] + b"\x00" * 56), field="photos")
        with pytest.raises(InvalidInput) as caught:
            attachments.check_upload(photo("big.png", PNG[:8] + b"\x00" * 57), field="photos")
        assert caught.value.code == "file_too_large"

    @override_settings(ATTACHMENT_MAX_BYTES=64)
    def test_it_reads_past_a_lying_size(self):
        upload = photo("big.png", PNG[:8] + b"\x00" * 100)
        upload.size = 10  # a client can misreport the size; the bytes read decide
        with pytest.raises(InvalidInput) as caught:
            attachments.check_upload(upload, field="photos")
        assert caught.value.code == "file_too_large"

    @override_settings(ATTACHMENT_CONTENT_TYPES=["image/jpeg"])
    def test_it_refuses_a_recognised_type_the_settings_do_not_allow(self):
        with pytest.raises(InvalidInput):
            attachments.check_upload(photo("doc.pdf", PDF), field="files")


class TestStore(WorkflowTestCase):
    def test_it_writes_the_bytes_under_a_generated_name_and_records_them(self):
        ticket = self.new_ticket()
        checked = attachments.check_upload(photo("<script>.png"), field="files")
        stored = attachments.store(ticket, checked, by=self.operator, purpose="intake", now=MONDAY)
        assert stored.file.name.startswith(f"attachments/2026/03/{ticket.number}") and stored.file.name.endswith(
            ".png")
        assert (stored.size, stored.content_type, stored.original_name) == (len(PNG), "image/png", "<script>.png")
        with stored.file.open("rb") as handle:
            assert handle.read() == PNG
