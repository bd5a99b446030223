"""json: dumps/loads (and dump/load on files) for None, bool, int, float,
str, list, tuple and dict, formatted as CPython's json module does."""

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class JSONDecodeError(ValueError):
    def __init__(self, msg, doc, pos):
        before = doc[:pos].split("\n")
        line = len(before)
        col = len(before[-1]) + 1
        super().__init__(f"{msg}: line {line} column {col} (char {pos})")
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = line
        self.colno = col


def _encode_str(s, ensure_ascii):
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
            continue
        n = ord(ch)
        if n < 0x20 or (ensure_ascii and n > 0x7E):
            if n > 0xFFFF:
                n -= 0x10000
                out.append(f"\\u{0xD800 | (n >> 10):04x}\\u{0xDC00 | (n & 0x3FF):04x}")
            else:
                out.append(f"\\u{n:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _encode_float(f, allow_nan):
    if f != f or f in (float("inf"), float("-inf")):
        if not allow_nan:
            raise ValueError("Out of range float values are not JSON compliant")
        return "NaN" if f != f else ("Infinity" if f > 0 else "-Infinity")
    return repr(f)


class _Encoder:
    def __init__(self, skipkeys, ensure_ascii, allow_nan, indent, separators, default, sort_keys):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.allow_nan = allow_nan
        if indent is not None and not isinstance(indent, str):
            indent = " " * indent
        self.indent = indent
        if separators is None:
            separators = (",", ": ") if indent is not None else (", ", ": ")
        self.item_sep, self.key_sep = separators
        self.default = default
        self.sort_keys = sort_keys
        self.active = set()

    def encode(self, o, level=0):
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, str):
            return _encode_str(o, self.ensure_ascii)
        if isinstance(o, int):
            return str(o)
        if isinstance(o, float):
            return _encode_float(o, self.allow_nan)
        if isinstance(o, (list, tuple)):
            return self._container(o, level, "[", "]", self._list_items)
        if isinstance(o, dict):
            return self._container(o, level, "{", "}", self._dict_items)
        if self.default is None:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
        return self._guarded(o, level, lambda: self.encode(self.default(o), level))

    def _guarded(self, o, level, fn):
        key = id(o)
        if key in self.active:
            raise ValueError("Circular reference detected")
        self.active.add(key)
        try:
            return fn()
        finally:
            self.active.discard(key)

    def _container(self, o, level, open_, close, items):
        if not o:
            return open_ + close
        return self._guarded(o, level, lambda: self._join(items(o, level + 1), level, open_, close))

    def _join(self, parts, level, open_, close):
        if self.indent is None:
            return open_ + self.item_sep.join(parts) + close
        inner = "\n" + self.indent * (level + 1)
        return open_ + inner + (self.item_sep + inner).join(parts) + "\n" + self.indent * level + close

    def _list_items(self, o, level):
        return [self.encode(item, level) for item in o]

    def _key(self, k):
        if isinstance(k, str):
            return k
        if k is None:
            return "null"
        if k is True:
            return "true"
        if k is False:
            return "false"
        if isinstance(k, int):
            return str(k)
        if isinstance(k, float):
            return _encode_float(k, self.allow_nan)
        if self.skipkeys:
            return None
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")

    def _dict_items(self, o, level):
        items = list(o.items())
        if self.sort_keys:
            items = sorted(items, key=lambda kv: kv[0])
        parts = []
        for k, v in items:
            key = self._key(k)
            if key is None:
                continue
            parts.append(_encode_str(key, self.ensure_ascii) + self.key_sep + self.encode(v, level))
        return parts


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False):
    return _Encoder(skipkeys, ensure_ascii, allow_nan, indent, separators, default,
                    sort_keys).encode(obj)


def dump(obj, fp, **kwargs):
    fp.write(dumps(obj, **kwargs))


# ---------------------------------------------------------------- decoding

_WS = " \t\n\r"
_UNESCAPE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_NUMBER_CHARS = "0123456789+-.eE"


class _Decoder:
    def __init__(self, doc, object_hook, parse_float, parse_int):
        self.doc = doc
        self.object_hook = object_hook
        self.parse_float = parse_float or float
        self.parse_int = parse_int or int

    def skip(self, i):
        doc = self.doc
        while i < len(doc) and doc[i] in _WS:
            i += 1
        return i

    def value(self, i):
        doc = self.doc
        i = self.skip(i)
        if i >= len(doc):
            raise JSONDecodeError("Expecting value", doc, i)
        ch = doc[i]
        if ch == '"':
            return self.string(i + 1)
        if ch == "{":
            return self.object(i + 1)
        if ch == "[":
            return self.array(i + 1)
        for word, val in (("null", None), ("true", True), ("false", False),
                          ("NaN", float("nan")), ("Infinity", float("inf")),
                          ("-Infinity", float("-inf"))):
            if doc[i:i + len(word)] == word:
                return val, i + len(word)
        if ch == "-" or "0" <= ch <= "9":
            return self.number(i)
        raise JSONDecodeError("Expecting value", doc, i)

    def number(self, i):
        doc = self.doc
        j = i
        while j < len(doc) and doc[j] in _NUMBER_CHARS:
            j += 1
        text = doc[i:j]
        if text == "-":
            raise JSONDecodeError("Expecting value", doc, i)
        if "." in text or "e" in text or "E" in text:
            return self.parse_float(text), j
        return self.parse_int(text), j

    def string(self, i):
        doc = self.doc
        begin = i - 1
        out = []
        while True:
            if i >= len(doc):
                raise JSONDecodeError("Unterminated string starting at", doc, begin)
            ch = doc[i]
            if ch == '"':
                return "".join(out), i + 1
            if ch == "\\":
                if i + 1 >= len(doc):
                    raise JSONDecodeError("Unterminated string starting at", doc, begin)
                esc = doc[i + 1]
                if esc == "u":
                    n, i = self.hex4(i + 2)
                    if 0xD800 <= n < 0xDC00 and doc[i:i + 2] == "\\u":
                        low, j = self.hex4(i + 2)
                        if 0xDC00 <= low < 0xE000:
                            n = 0x10000 + ((n - 0xD800) << 10) + (low - 0xDC00)
                            i = j
                    out.append(chr(n))
                    continue
                if esc not in _UNESCAPE:
                    raise JSONDecodeError("Invalid \\escape", doc, i)
                out.append(_UNESCAPE[esc])
                i += 2
                continue
            if ord(ch) < 0x20:
                raise JSONDecodeError("Invalid control character at", doc, i)
            out.append(ch)
            i += 1

    def hex4(self, i):
        text = self.doc[i:i + 4]
        if len(text) != 4 or not all(c in "0123456789abcdefABCDEF" for c in text):
            raise JSONDecodeError("Invalid \\uXXXX escape", self.doc, i - 1)
        return int(text, 16), i + 4

    def array(self, i):
        doc = self.doc
        result = []
        i = self.skip(i)
        if i < len(doc) and doc[i] == "]":
            return result, i + 1
        while True:
            item, i = self.value(i)
            result.append(item)
            i = self.skip(i)
            if i < len(doc) and doc[i] == "]":
                return result, i + 1
            if i >= len(doc) or doc[i] != ",":
                raise JSONDecodeError("Expecting ',' delimiter", doc, i)
            i += 1

    def object(self, i):
        doc = self.doc
        result = {}
        i = self.skip(i)
        if i < len(doc) and doc[i] == "}":
            return self.hook(result), i + 1
        while True:
            i = self.skip(i)
            if i >= len(doc) or doc[i] != '"':
                raise JSONDecodeError("Expecting property name enclosed in double quotes", doc, i)
            key, i = self.string(i + 1)
            i = self.skip(i)
            if i >= len(doc) or doc[i] != ":":
                raise JSONDecodeError("Expecting ':' delimiter", doc, i)
            value, i = self.value(i + 1)
            result[key] = value
            i = self.skip(i)
            if i < len(doc) and doc[i] == "}":
                return self.hook(result), i + 1
            if i >= len(doc) or doc[i] != ",":
                raise JSONDecodeError("Expecting ',' delimiter", doc, i)
            i += 1

    def hook(self, d):
        return d if self.object_hook is None else self.object_hook(d)


def loads(s, *, cls=None, object_hook=None, parse_float=None, parse_int=None, **kwargs):
    if not isinstance(s, str):
        raise TypeError(f"the JSON object must be str, bytes or bytearray, not {type(s).__name__}")
    decoder = _Decoder(s, object_hook, parse_float, parse_int)
    value, end = decoder.value(0)
    end = decoder.skip(end)
    if end != len(s):
        raise JSONDecodeError("Extra data", s, end)
    return value


def load(fp, **kwargs):
    return loads(fp.read(), **kwargs)
