# warnings: Python 3.11's warnings module (Lib/warnings.py's pure Python
# implementation, which _warnings replaces in C with the same behaviour).
# The running frame comes from tsr._warning_frame (sys._getframe), a
# source line from tsr._source_line (linecache). Messages and module
# names of filters are matched by _match, a small re.match: literal
# characters, '.', '*', '+', '?', '\' escapes, '[...]' sets, '^' and '$'.
# Each module's registry (CPython's __warningregistry__) is kept here,
# by module name.

import sys

__all__ = ["warn", "warn_explicit", "showwarning",
           "formatwarning", "filterwarnings", "simplefilter",
           "resetwarnings", "catch_warnings"]

filters = []
defaultaction = "default"
onceregistry = {}
_filters_version = 1
_registries = {}
# source lines of the locations in PyTorch's own files (_torch_warn)
_torch_lines = {}


def _filters_mutated():
    global _filters_version
    _filters_version += 1


# ---- a small re.match for the filters' patterns

def _class_match(pat, i, c, icase):
    # pat[i] is just past '['; returns (matched, index past ']')
    negate = False
    if i < len(pat) and pat[i] == '^':
        negate = True
        i += 1
    found = False
    first = True
    while i < len(pat) and (first or pat[i] != ']'):
        first = False
        lo = pat[i]
        if lo == '\\' and i + 1 < len(pat):
            i += 1
            lo = pat[i]
        i += 1
        hi = lo
        if i + 1 < len(pat) and pat[i] == '-' and pat[i + 1] != ']':
            hi = pat[i + 1]
            i += 2
        if lo <= c <= hi or (icase and (lo <= c.lower() <= hi or lo <= c.upper() <= hi)):
            found = True
    return found != negate, i + 1


def _atom(pat, i):
    # the end of the atom starting at pat[i]
    if pat[i] == '\\':
        return i + 2
    if pat[i] == '[':
        j = i + 1
        if j < len(pat) and pat[j] == '^':
            j += 1
        j += 1
        while j < len(pat) and pat[j] != ']':
            j += 2 if pat[j] == '\\' else 1
        return j + 1
    return i + 1


def _atom_matches(pat, i, c, icase):
    p = pat[i]
    if p == '.':
        return c != '\n'
    if p == '[':
        return _class_match(pat, i + 1, c, icase)[0]
    if p == '\\':
        p = pat[i + 1]
        if p == 'd':
            return '0' <= c <= '9'
        if p == 's':
            return c in ' \t\n\r\f\v'
        if p == 'w':
            return c.isalnum() or c == '_'
    return p == c or (icase and p.lower() == c.lower())


def _match_at(pat, i, text, j, icase):
    while i < len(pat):
        if pat[i] == '$' and i == len(pat) - 1:
            return j == len(text) or (j == len(text) - 1 and text[j] == '\n')
        end = _atom(pat, i)
        q = pat[end] if end < len(pat) else ''
        if q in ('*', '+', '?'):
            lo = 1 if q == '+' else 0
            n = 0
            limit = 1 if q == '?' else len(text) - j
            while n < limit and _atom_matches(pat, i, text[j + n], icase):
                n += 1
            while n >= lo:
                if _match_at(pat, end + 1, text, j + n, icase):
                    return True
                n -= 1
            return False
        if j >= len(text) or not _atom_matches(pat, i, text[j], icase):
            return False
        i = end
        j += 1
    return True


def _match(pat, text, icase):
    i = 1 if pat.startswith('^') else 0
    return _match_at(pat, i, text, 0, icase)


# ---- showing

def showwarning(message, category, filename, lineno, file=None, line=None):
    """Hook to write a warning to a file; replace if you like."""
    msg = WarningMessage(message, category, filename, lineno, file, line)
    _showwarnmsg_impl(msg)


def formatwarning(message, category, filename, lineno, line=None):
    """Function to format a warning the standard way."""
    msg = WarningMessage(message, category, filename, lineno, None, line)
    return _formatwarnmsg_impl(msg)


def _getline(filename, lineno):
    line = _torch_lines.get((filename, lineno))
    if line is None:
        line = tsr._source_line(filename, lineno)
    return line


def _showwarnmsg_impl(msg):
    file = msg.file
    if file is None:
        file = sys.stderr
    text = _formatwarnmsg(msg)
    file.write(text)


def _formatwarnmsg_impl(msg):
    category = msg.category.__name__
    s = f"{msg.filename}:{msg.lineno}: {category}: {msg.message}\n"
    if msg.line is None:
        line = _getline(msg.filename, msg.lineno)
    else:
        line = msg.line
    if line:
        line = line.strip()
        s += "  %s\n" % line
    return s


_showwarning_orig = showwarning


def _showwarnmsg(msg):
    sw = showwarning
    if sw is not _showwarning_orig:
        # warnings.showwarning() was replaced
        if not callable(sw):
            raise TypeError("warnings.showwarning() must be set to a "
                            "function or method")
        sw(msg.message, msg.category, msg.filename, msg.lineno,
           msg.file, msg.line)
        return
    _showwarnmsg_impl(msg)


_formatwarning_orig = formatwarning


def _formatwarnmsg(msg):
    fw = formatwarning
    if fw is not _formatwarning_orig:
        # warnings.formatwarning() was replaced
        return fw(msg.message, msg.category,
                  msg.filename, msg.lineno, msg.line)
    return _formatwarnmsg_impl(msg)


# ---- the filters

def filterwarnings(action, message="", category=Warning, module="", lineno=0,
                   append=False):
    """Insert an entry into the list of warnings filters (at the front)."""
    assert action in ("error", "ignore", "always", "default", "module",
                      "once"), "invalid action: %r" % (action,)
    assert isinstance(message, str), "message must be a string"
    assert isinstance(category, type), "category must be a class"
    assert issubclass(category, Warning), "category must be a Warning subclass"
    assert isinstance(module, str), "module must be a string"
    assert isinstance(lineno, int) and lineno >= 0, \
        "lineno must be an int >= 0"
    _add_filter(action, message or None, category, module or None, lineno, append=append)


def simplefilter(action, category=Warning, lineno=0, append=False):
    """Insert a simple entry into the list of warnings filters (at the front)."""
    assert action in ("error", "ignore", "always", "default", "module",
                      "once"), "invalid action: %r" % (action,)
    assert isinstance(lineno, int) and lineno >= 0, \
        "lineno must be an int >= 0"
    _add_filter(action, None, category, None, lineno, append=append)


def _add_filter(*item, append):
    if not append:
        if item in filters:
            filters.remove(item)
        filters.insert(0, item)
    else:
        if item not in filters:
            filters.append(item)
    _filters_mutated()


def resetwarnings():
    """Clear the list of warning filters, so that no filters are active."""
    filters[:] = []
    _filters_mutated()


# ---- warning

def warn(message, category=None, stacklevel=1, source=None):
    """Issue a warning, or maybe ignore it or raise an exception."""
    if isinstance(message, Warning):
        category = message.__class__
    if category is None:
        category = UserWarning
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TypeError("category must be a Warning subclass, "
                        "not '{:s}'".format(type(category).__name__))
    # level 0 is this function's own frame, 1 its caller's
    where = tsr._warning_frame(stacklevel if stacklevel > 1 else 1)
    if where is None:
        filename, lineno, module = "sys", 1, "sys"
    else:
        filename, lineno, module = where
    registry = _registries.setdefault(module, {})
    warn_explicit(message, category, filename, lineno, module, registry,
                  None, source)


def warn_explicit(message, category, filename, lineno,
                  module=None, registry=None, module_globals=None,
                  source=None):
    lineno = int(lineno)
    if module is None:
        module = filename or "<unknown>"
        if module[-3:].lower() == ".py":
            module = module[:-3]
    if registry is None:
        registry = {}
    if registry.get('version', 0) != _filters_version:
        registry.clear()
        registry['version'] = _filters_version
    if isinstance(message, Warning):
        text = str(message)
        category = message.__class__
    else:
        text = message
        message = category(message)
    key = (text, category, lineno)
    if registry.get(key):
        return
    for item in filters:
        action, msg, cat, mod, ln = item
        if ((msg is None or _match(msg, text, True)) and
                issubclass(category, cat) and
                (mod is None or _match(mod, module, False)) and
                (ln == 0 or lineno == ln)):
            break
    else:
        action = defaultaction
    if action == "ignore":
        return
    if action == "error":
        raise message
    if action == "once":
        registry[key] = 1
        oncekey = (text, category)
        if onceregistry.get(oncekey):
            return
        onceregistry[oncekey] = 1
    elif action == "always":
        pass
    elif action == "module":
        registry[key] = 1
        altkey = (text, category, 0)
        if registry.get(altkey):
            return
        registry[altkey] = 1
    elif action == "default":
        registry[key] = 1
    else:
        raise RuntimeError(
            "Unrecognized action (%r) in warnings.filters:\n %s" %
            (action, item))
    msg = WarningMessage(message, category, filename, lineno, source)
    _showwarnmsg(msg)


def _torch_warn(message, filename, lineno, module, line, category=UserWarning):
    # a warning PyTorch's own Python issues: its file, line and source line
    _torch_lines[(filename, lineno)] = line
    warn_explicit(message, category, filename, lineno, module,
                  _registries.setdefault(module, {}))


class WarningMessage(object):

    _WARNING_DETAILS = ("message", "category", "filename", "lineno", "file",
                        "line", "source")

    def __init__(self, message, category, filename, lineno, file=None,
                 line=None, source=None):
        self.message = message
        self.category = category
        self.filename = filename
        self.lineno = lineno
        self.file = file
        self.line = line
        self.source = source
        self._category_name = category.__name__ if category else None

    def __str__(self):
        return ("{message : %r, category : %r, filename : %r, lineno : %s, "
                "line : %r}" % (self.message, self._category_name,
                                self.filename, self.lineno, self.line))


class catch_warnings(object):
    """A context manager that copies and restores the warnings filter upon
    exiting the context."""

    def __init__(self, *, record=False, module=None,
                 action=None, category=Warning, lineno=0, append=False):
        # module= (another warnings module to manage) is not supported:
        # there is one
        self._record = record
        self._entered = False
        if action is None:
            self._filter = None
        else:
            self._filter = (action, category, lineno, append)

    def __repr__(self):
        args = []
        if self._record:
            args.append("record=True")
        name = type(self).__name__
        return "%s(%s)" % (name, ", ".join(args))

    def __enter__(self):
        global filters, showwarning, _showwarnmsg_impl
        if self._entered:
            raise RuntimeError("Cannot enter %r twice" % self)
        self._entered = True
        self._filters = filters
        filters = self._filters[:]
        _filters_mutated()
        self._showwarning = showwarning
        self._showwarnmsg_impl = _showwarnmsg_impl
        if self._filter is not None:
            simplefilter(*self._filter)
        if self._record:
            log = []
            _showwarnmsg_impl = log.append
            showwarning = _showwarning_orig
            return log
        else:
            return None

    def __exit__(self, *exc_info):
        global filters, showwarning, _showwarnmsg_impl
        if not self._entered:
            raise RuntimeError("Cannot exit %r without entering first" % self)
        filters = self._filters
        _filters_mutated()
        showwarning = self._showwarning
        _showwarnmsg_impl = self._showwarnmsg_impl


# Python's default filters (no -W option, a release build)
filterwarnings("default", category=DeprecationWarning,
               module="__main__", append=1)
simplefilter("ignore", category=DeprecationWarning, append=1)
simplefilter("ignore", category=PendingDeprecationWarning, append=1)
simplefilter("ignore", category=ImportWarning, append=1)
simplefilter("ignore", category=ResourceWarning, append=1)
