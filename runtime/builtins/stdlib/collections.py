"""collections: namedtuple, deque, Counter, defaultdict, OrderedDict.

tsr's classes cannot derive from tuple, list or dict, so these are plain
classes that implement the protocols (isinstance(c, dict) is False)."""

_missing = object()


# ---------------------------------------------------------------- namedtuple

class _NamedTuple:
    _fields = ()
    _field_defaults = {}

    def __init__(self, *args, **kwargs):
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}.__new__() takes {len(fields) + 1} "
                            f"positional arguments but {len(args) + 1} were given")
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in self._field_defaults:
                values.append(self._field_defaults[name])
            else:
                raise TypeError(f"{type(self).__name__}.__new__() missing 1 required "
                                f"positional argument: '{name}'")
        if kwargs:
            name = next(iter(kwargs))
            raise TypeError(f"{type(self).__name__}.__new__() got an unexpected keyword argument '{name}'")
        self._values = tuple(values)
        for name, value in zip(fields, values):
            setattr(self, name, value)

    @classmethod
    def _make(cls, iterable):
        return cls(*iterable)

    def _asdict(self):
        return dict(zip(self._fields, self._values))

    def _replace(self, **kwargs):
        values = [kwargs.pop(name, value) for name, value in zip(self._fields, self._values)]
        if kwargs:
            raise ValueError(f"Got unexpected field names: {list(kwargs)!r}")
        return type(self)(*values)

    def __repr__(self):
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self._values))
        return f"{type(self).__name__}({inner})"

    def __getitem__(self, index):
        return self._values[index]

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __contains__(self, value):
        return value in self._values

    def __hash__(self):
        return hash(self._values)

    def __eq__(self, other):
        if isinstance(other, _NamedTuple):
            return self._values == other._values
        if isinstance(other, tuple):
            return self._values == other
        return NotImplemented

    def __ne__(self, other):
        return not self == other

    def __lt__(self, other):
        return self._values < tuple(other)

    def __add__(self, other):
        return self._values + tuple(other)

    def count(self, value):
        return self._values.count(value)

    def index(self, value):
        return self._values.index(value)


def _is_identifier(name):
    def word_char(ch):
        return ch == "_" or "a" <= ch <= "z" or "A" <= ch <= "Z" or "0" <= ch <= "9" or ord(ch) > 127

    return bool(name) and not "0" <= name[0] <= "9" and all(word_char(ch) for ch in name)


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    fields = tuple(str(name) for name in field_names)
    for name in (typename,) + fields:
        if not _is_identifier(name):
            raise ValueError(f"Type names and field names must be valid identifiers: {name!r}")
    seen = set()
    for name in fields:
        if name.startswith("_"):
            raise ValueError(f"Field names cannot start with an underscore: {name!r}")
        if name in seen:
            raise ValueError(f"Encountered duplicate field name: {name!r}")
        seen.add(name)
    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > len(fields):
            raise TypeError("Got more default values than field names")
        field_defaults = dict(zip(fields[len(fields) - len(defaults):], defaults))

    class cls(_NamedTuple):
        pass

    cls.__name__ = typename
    cls._fields = fields
    cls._field_defaults = field_defaults
    return cls


# ---------------------------------------------------------------- deque

class deque:
    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None and maxlen < 0:
            raise ValueError("maxlen must be non-negative")
        self.maxlen = maxlen
        self._items = []
        self.extend(iterable)

    def _trim_left(self):
        if self.maxlen is not None:
            while len(self._items) > self.maxlen:
                self._items.pop(0)

    def _trim_right(self):
        if self.maxlen is not None:
            while len(self._items) > self.maxlen:
                self._items.pop()

    def append(self, x):
        self._items.append(x)
        self._trim_left()

    def appendleft(self, x):
        self._items.insert(0, x)
        self._trim_right()

    def extend(self, iterable):
        for x in list(iterable):
            self.append(x)

    def extendleft(self, iterable):
        for x in list(iterable):
            self.appendleft(x)

    def pop(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop()

    def popleft(self):
        if not self._items:
            raise IndexError("pop from an empty deque")
        return self._items.pop(0)

    def rotate(self, n=1):
        if self._items:
            n = n % len(self._items)
            if n:
                self._items[:] = self._items[-n:] + self._items[:-n]

    def clear(self):
        self._items.clear()

    def copy(self):
        return deque(self._items, self.maxlen)

    def count(self, x):
        return self._items.count(x)

    def index(self, x):
        return self._items.index(x)

    def remove(self, x):
        self._items.remove(x)

    def reverse(self):
        self._items.reverse()

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(list(self._items))

    def __reversed__(self):
        return reversed(self._items)

    def __contains__(self, x):
        return x in self._items

    def __getitem__(self, i):
        return self._items[i]

    def __setitem__(self, i, x):
        self._items[i] = x

    def __bool__(self):
        return bool(self._items)

    def __eq__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items == other._items

    def __repr__(self):
        if self.maxlen is None:
            return f"deque({self._items!r})"
        return f"deque({self._items!r}, maxlen={self.maxlen})"


# ---------------------------------------------------------------- dict-likes

class _DictLike:
    def __init__(self):
        self._d = {}

    def __getitem__(self, key):
        return self._d[key]

    def __setitem__(self, key, value):
        self._d[key] = value

    def __delitem__(self, key):
        del self._d[key]

    def __contains__(self, key):
        return key in self._d

    def __len__(self):
        return len(self._d)

    def __iter__(self):
        return iter(list(self._d))

    def __bool__(self):
        return bool(self._d)

    def keys(self):
        return self._d.keys()

    def values(self):
        return self._d.values()

    def items(self):
        return self._d.items()

    def get(self, key, default=None):
        return self._d.get(key, default)

    def pop(self, key, default=_missing):
        if default is _missing:
            return self._d.pop(key)
        return self._d.pop(key, default)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, other=(), **kwargs):
        items = other.items() if hasattr(other, "items") else other
        for key, value in items:
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def clear(self):
        self._d.clear()

    def __eq__(self, other):
        if isinstance(other, _DictLike):
            return self._d == other._d
        if isinstance(other, dict):
            return self._d == other
        return NotImplemented

    def __ne__(self, other):
        return not self == other


class defaultdict(_DictLike):
    def __init__(self, default_factory=None, *args, **kwargs):
        super().__init__()
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable or None")
        self.default_factory = default_factory
        self.update(*args, **kwargs)

    def __getitem__(self, key):
        if key in self._d:
            return self._d[key]
        return self.__missing__(key)

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self._d[key] = value
        return value

    def copy(self):
        return defaultdict(self.default_factory, self._d)

    def __repr__(self):
        return f"defaultdict({self.default_factory!r}, {self._d!r})"


class OrderedDict(_DictLike):
    def __init__(self, *args, **kwargs):
        super().__init__()
        self.update(*args, **kwargs)

    def move_to_end(self, key, last=True):
        value = self._d.pop(key)
        if last:
            self._d[key] = value
        else:
            rest = list(self._d.items())
            self._d.clear()
            self._d[key] = value
            for k, v in rest:
                self._d[k] = v

    def popitem(self, last=True):
        if not self._d:
            raise KeyError("dictionary is empty")
        key = list(self._d)[-1] if last else next(iter(self._d))
        return key, self._d.pop(key)

    def copy(self):
        return OrderedDict(self._d)

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            return list(self._d.items()) == list(other._d.items())
        return super().__eq__(other)

    def __repr__(self):
        if not self._d:
            return "OrderedDict()"
        return f"OrderedDict({list(self._d.items())!r})"


class Counter(_DictLike):
    def __init__(self, iterable=None, **kwargs):
        super().__init__()
        self.update(iterable, **kwargs)

    def __getitem__(self, key):
        return self._d.get(key, 0)

    def __missing__(self, key):
        return 0

    def update(self, iterable=None, **kwargs):
        if iterable is not None:
            if hasattr(iterable, "items"):
                for key, count in iterable.items():
                    self._d[key] = self._d.get(key, 0) + count
            else:
                for key in iterable:
                    self._d[key] = self._d.get(key, 0) + 1
        for key, count in kwargs.items():
            self._d[key] = self._d.get(key, 0) + count

    def subtract(self, iterable=None, **kwargs):
        if iterable is not None:
            if hasattr(iterable, "items"):
                for key, count in iterable.items():
                    self._d[key] = self._d.get(key, 0) - count
            else:
                for key in iterable:
                    self._d[key] = self._d.get(key, 0) - 1
        for key, count in kwargs.items():
            self._d[key] = self._d.get(key, 0) - count

    def most_common(self, n=None):
        ordered = sorted(self._d.items(), key=lambda kv: kv[1], reverse=True)
        return ordered if n is None else ordered[:n]

    def elements(self):
        for key, count in self._d.items():
            for _ in range(count):
                yield key

    def total(self):
        return sum(self._d.values())

    def copy(self):
        return Counter(self._d)

    def __add__(self, other):
        result = Counter()
        for key, count in self._d.items():
            total = count + other[key]
            if total > 0:
                result[key] = total
        for key, count in other.items():
            if key not in self._d and count > 0:
                result[key] = count
        return result

    def __sub__(self, other):
        result = Counter()
        for key, count in self._d.items():
            diff = count - other[key]
            if diff > 0:
                result[key] = diff
        for key, count in other.items():
            if key not in self._d and count < 0:
                result[key] = -count
        return result

    def __repr__(self):
        if not self._d:
            return "Counter()"
        inner = ", ".join(f"{k!r}: {v!r}" for k, v in self.most_common())
        return f"Counter({{{inner}}})"
