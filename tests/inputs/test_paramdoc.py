"""`sangkien params`: every parameter, from the same dataclasses that validate them."""
from __future__ import annotations

import dataclasses

from sangkien.inputs import paramdoc
from sangkien.inputs.params import INTERNAL, KINDS, NESTED, Params, field_types, known_keys, meaning


def _all_keys() -> list[str]:
    keys = []
    for key in known_keys(Params):
        keys.append(key)
        if key in NESTED:
            keys.extend(f"{key}.{sub}" for sub in known_keys(NESTED[key]))
    return keys


def test_every_field_has_a_meaning_and_a_known_type():
    for cls in (Params, *NESTED.values()):
        for f in dataclasses.fields(cls):
            if f.name in INTERNAL:
                continue
            assert f.metadata.get("meaning"), f"{cls.__name__}.{f.name} has no meaning"
            assert field_types(cls)[f.name] in KINDS, f"{cls.__name__}.{f.name}: no Vietnamese label for type {f.type}"


def test_listing_names_every_key_in_order(run_main):
    keys = _all_keys()
    assert [d.key for d in paramdoc.describe()] == keys
    status, out, err = run_main("params")
    assert status == 0 and err == ""
    heads = [line.split(" — ")[0] for line in out.splitlines() if " — " in line and not line.startswith(" ")]
    assert heads == keys
    for key in keys:
        assert f"{key} — {meaning(key)}" in out


def test_listing_shows_types_defaults_and_shared_values():
    docs = {d.key: d for d in paramdoc.describe()}
    assert docs["year"].required and docs["year"].type == "số nguyên"
    assert docs["period_start"].default == "2016"
    assert docs["sample_data"].default == "false" and docs["sample_data"].type == "true hoặc false"
    assert docs["signer.authority"].shared == '"KT. GIÁM ĐỐC"'  # from params/defaults.yaml
    assert docs["issue_date"].type.startswith("ngày")
    assert "nên viết" in docs["sections.direction"].note


def test_markdown_listing(run_main):
    status, out, err = run_main("params", "--markdown")
    assert status == 0
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert [r.split("`")[1] for r in rows] == _all_keys()


def test_the_validator_uses_the_same_words(tmp_path):
    from sangkien.errors import ParamsError
    from sangkien.inputs.params import load_params

    path = tmp_path / "p.yaml"
    path.write_text("data: x.xlsx\n", encoding="utf-8")
    try:
        load_params(None, path)
    except ParamsError as exc:
        assert f"({meaning('year')})" in exc.problems[0]
    else:
        raise AssertionError("no error")
