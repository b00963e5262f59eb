"""Phone numbers as people type them: separators and full-width digits are the same number; anything else is not
a phone number and is refused rather than silently removed (hotline.lib.privacy)."""

from __future__ import annotations

from hotline.lib.privacy import is_valid_phone, mask_phone, normalise_phone


def test_it_reads_full_width_digits_and_separators_as_the_same_number():
    for typed in ("１３９８７６５４３２１", "１３９ ８７６５ ４３２１", "＋８６－１３９－８７６５－４３２１",
                  "13987654321", "+86 139-8765-4321", "0086 139 8765 4321"):
        assert normalise_phone(typed) == "13987654321", typed
        assert is_valid_phone(typed), typed
    assert normalise_phone("（０７３９）５１２３４５６") == "07395123456"
    assert mask_phone("１３９８７６５４３２１") == "139****4321"


def test_it_refuses_a_number_with_a_nul_a_letter_or_a_line_break_instead_of_stripping_it():
    for typed in ("139\x0087654321", "139a87654321", "13987654321\n", "tel:13987654321", "139８７６５４３２１x"):
        assert not is_valid_phone(typed), repr(typed)


def test_it_refuses_digits_of_other_scripts():
    # NFKC leaves Arabic-Indic digits as they are; they are not a mainland phone number.
    assert not is_valid_phone("١٣٩٨٧٦٥٤٣٢١")
