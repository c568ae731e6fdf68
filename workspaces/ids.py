"""The range of database ids (bigint): anything outside it names no object,
and beyond it SQLite's integers overflow (a query raises instead of finding
nothing)."""

MAX_ID = 2**63 - 1


def in_id_range(value: int) -> bool:
    return 0 < value <= MAX_ID
