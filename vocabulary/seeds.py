"""Gazetteers and terms a workspace can start from. The demo's region first:
Syria's coast (Latakia and Tartus governorates) and its neighbours, with the
spellings wires and monitors use."""

from __future__ import annotations

# (key, name, level, parent key, alternative spellings)
SYRIA_COAST: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    ("syria", "Syria", "country", None, ("Syrian Arab Republic",)),
    ("latakia", "Latakia", "region", "syria", ("Lattakia", "Latakia province", "Al-Ladhiqiyah")),
    ("tartus", "Tartus", "region", "syria", ("Tartous", "Tartus province", "Tortosa")),
    ("hama", "Hama", "region", "syria", ("Hama province", "Hamah")),
    ("homs", "Homs", "region", "syria", ("Homs province", "Hims")),
    ("idlib", "Idlib", "region", "syria", ("Idleb",)),
    ("damascus", "Damascus", "region", "syria", ("Dimashq",)),
    ("latakia_district", "Latakia city", "district", "latakia", ("Latakia district",)),
    ("jableh", "Jableh", "district", "latakia", ("Jablah", "Jebleh", "Jabla")),
    ("qardaha", "Qardaha", "district", "latakia", ("Al-Qardaha", "Kardaha")),
    ("haffah", "Al-Haffah", "district", "latakia", ("Haffah", "Al-Haffa")),
    ("tartus_district", "Tartus city", "district", "tartus", ("Tartus district",)),
    ("baniyas", "Baniyas", "district", "tartus", ("Banias", "Banyas", "Baniyas district")),
    ("safita", "Safita", "district", "tartus", ()),
    ("dreikish", "Dreikish", "district", "tartus", ("Duraykish",)),
    ("sheikh_badr", "Sheikh Badr", "district", "tartus", ("Al-Shaykh Badr",)),
    ("masyaf", "Masyaf", "district", "hama", ("Misyaf", "Masyaf district")),
    ("homs_district", "Homs city", "district", "homs", ()),
    ("talkalakh", "Talkalakh", "district", "homs", ("Tal Kalakh", "Tell Kalakh")),
    ("al_qusour", "Al-Qusour", "locality", "baniyas", ("Qusour", "al-Qsour")),
    ("mukhtariyah", "Al-Mukhtariyah", "locality", "latakia_district", ("Mukhtariyah",)),
    ("snobar", "Snobar", "locality", "jableh", ("Sanobar", "Al-Snobar")),
)

GAZETTEERS = {"syria-coast": SYRIA_COAST}

# Words the coast's reporting uses, as the demo workspace maps them.
SYRIA_COAST_TERMS: tuple[tuple[str, str, str], ...] = (
    ("population", "pro-Assad fighters", "armed_groups"),
    ("population", "pro-Assad militants", "armed_groups"),
    ("population", "remnants of the former regime", "armed_groups"),
    ("population", "regime remnants", "armed_groups"),
    ("population", "gunmen loyal to the former government", "armed_groups"),
    ("population", "loyalist fighters", "armed_groups"),
    ("population", "members of the security forces", "security_forces"),
    ("population", "government security forces", "security_forces"),
    ("population", "security personnel", "security_forces"),
    ("outcome", "executed", "killed"),
    ("outcome", "shot dead", "killed"),
    ("subgroup", "Alawites", "alawites"),
)

TERMS = {"syria-coast": SYRIA_COAST_TERMS}

SUBGROUPS = {"syria-coast": ("Alawites", "Druze", "Christians")}
