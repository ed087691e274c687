"""Writes <case>.nodb (jsonpickle 4.1.2's encoding) and <case>.expected.json (what jsonpickle
decodes it to, as nodb's clean tree, or the refusal nodb must give) for LegacyDecoderTest.

Run: PYTHONPATH=<jsonpickle 4.1.2> python3 generate.py   (the Java tests never run Python)
"""
import enum
import json
import sys
import types

import jsonpickle

assert jsonpickle.__version__ == "4.1.2", jsonpickle.__version__

mod = types.ModuleType("wepppy.nodb.soils")
sys.modules["wepppy"] = types.ModuleType("wepppy")
sys.modules["wepppy.nodb"] = types.ModuleType("wepppy.nodb")
sys.modules["wepppy.nodb.soils"] = mod


class Soils:
    pass


class Station:
    def __init__(self, sid):
        self.id = sid


class StateSoils:
    def __getstate__(self):
        return dict(self.__dict__)

    def __setstate__(self, s):
        self.__dict__.update(s)


class Mode(enum.IntEnum):
    A = 0
    B = 8


for c in (Soils, Station, StateSoils, Mode):
    c.__module__ = "wepppy.nodb.soils"
    setattr(mod, c.__name__, c)


def clean(v, seen):
    if isinstance(v, enum.Enum):
        return {"@class": type(v).__module__ + "." + type(v).__qualname__, "@enum": v.value}
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if id(v) in seen:
        raise RecursionError("cycle")
    seen = seen | {id(v)}
    if isinstance(v, dict):
        return {("@" + k if k.startswith("@") else k): clean(x, seen) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x, seen) for x in v]
    if isinstance(v, (set, frozenset)):
        return [clean(x, seen) for x in sorted(v)]
    out = {"@class": type(v).__module__ + "." + type(v).__qualname__}
    for k, x in v.__dict__.items():
        out["@" + k if k.startswith("@") else k] = clean(x, seen)
    return out


def case(name, root, check=None):
    text = jsonpickle.encode(root)
    back = jsonpickle.decode(text)
    if check:
        check(back)
    try:
        tree = clean(back, set())
        fields = {k: x for k, x in tree.items() if k != "@class"}
        expected = {"pythonClass": tree["@class"], "fields": fields}
    except RecursionError:
        expected = {"refused": "a reference cycle"}
    with open(name + ".nodb", "w") as f:
        f.write(text)
    with open(name + ".expected.json", "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


# the tester's case: c is b's list, not a's
s = Soils()
s.a = ["first"]
s.b = ["second"]
s.c = s.b
case("shared-list", s, lambda b: b.c is b.b)

# shared objects in a list and a field, after dicts that jsonpickle numbers
s = Soils()
s1, s2 = Station("s1"), Station("s2")
s.prefs = {"length": {"unit": "m"}, "area": {"unit": "ha"}}
s.stations = [s1, s2, s1]
s.best = s2
s.mode = Mode.B
s.after = s.prefs["area"]
case("shared-objects", s)

# tuples and sets are not numbered, what they contain is
s = Soils()
d = {"k": [1, 2]}
s.pair = (d, d["k"])
s.ids = {3, 1, 2}
s.again = d
s.inner = d["k"]
case("tuples-and-sets", s)

# newer wepppy: every field under py/state, shared refs inside it
s = StateSoils()
st = Station("x")
st.meta = {"years": (1990, 2019)}
s.stations = [st]
s.first = st
s.years = st.meta
case("state-shared", s, lambda b: b.first is b.stations[0])

# a self reference: py/id 0 is the top-level object
s = Soils()
s.me = s
case("self-reference", s, lambda b: b.me is b)

# a list that contains itself
s = Soils()
loop = [1]
loop.append(loop)
s.loop = loop
case("list-cycle", s, lambda b: b.loop[1] is b.loop)
