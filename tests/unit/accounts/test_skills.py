from app.domain.accounts.users import unique_skills


def test_skills_keep_the_first_spelling_and_drop_case_duplicates_and_blanks() -> None:
    assert unique_skills(["ZIGX", "zigx", " Zigx ", "", "Rust", "rust", "SQL"]) == ["ZIGX", "Rust", "SQL"]
