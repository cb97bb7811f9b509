from app.domain.generation.entities import fit_words, repair_ad_copy


def test_fit_words_never_cuts_inside_a_word():
    assert fit_words("Lease Floors Three To Five Today Now", 30) == "Lease Floors Three To Five"
    assert fit_words("Short and sweet", 30) == "Short and sweet"
    assert fit_words("Supercalifragilisticexpialidocious!!", 30) is None
    assert fit_words("Offices, parking, & more", 18) == "Offices, parking"


def test_repair_applies_limits_counts_and_dedupes():
    copy = repair_ad_copy(
        ["One", "one", "Two", "Three"] + [f"Headline {i}" for i in range(20)],
        ["A description", "Another description", "x " * 60, "d4", "d5"],
    )
    assert copy is not None
    assert len(copy.headlines) == 15 and copy.headlines[:3] == ["One", "Two", "Three"]
    assert all(len(h) <= 30 for h in copy.headlines)
    assert len(copy.descriptions) == 4 and all(len(d) <= 90 for d in copy.descriptions)


def test_repair_gives_up_when_too_little_is_usable():
    assert repair_ad_copy(["Only one"], ["A", "B"]) is None
    assert repair_ad_copy(["A", "B", "C"], ["Unbreakable" * 10, "Fine"]) is None
