# pydoc: help(), as CPython 3.11's pydoc renders text (Helper.help,
# render_doc, TextDoc.docroutine/docclass/docdata/docother), for the
# program's own functions and classes: their docstrings (inspect.getdoc,
# cleaned and inherited as inspect._finddoc does) and signatures.
# tsr's builtins, modules and PyTorch's classes print tsr's own help text
# (runtime/builtins/help_texts.h, through tsr._help_entry). Output is
# never paged. help() without an argument prints how to use it instead of
# starting the interactive help utility.

import sys

# object's methods' docstrings: what a method that overrides one without
# a docstring of its own shows (inspect._finddoc)
_OBJECT_DOCS = {
    '__delattr__': 'Implement delattr(self, name).',
    '__dir__': 'Default dir() implementation.',
    '__eq__': 'Return self==value.',
    '__format__': 'Default object formatter.',
    '__ge__': 'Return self>=value.',
    '__getattribute__': 'Return getattr(self, name).',
    '__getstate__': 'Helper for pickle.',
    '__gt__': 'Return self>value.',
    '__hash__': 'Return hash(self).',
    '__init__': 'Initialize self.  See help(type(self)) for accurate signature.',
    '__le__': 'Return self<=value.',
    '__lt__': 'Return self<value.',
    '__ne__': 'Return self!=value.',
    '__new__': 'Create and return a new object.  See help(type) for accurate signature.',
    '__reduce__': 'Helper for pickle.',
    '__reduce_ex__': 'Helper for pickle.',
    '__repr__': 'Return repr(self).',
    '__setattr__': 'Implement setattr(self, name, value).',
    '__sizeof__': 'Size of object in memory, in bytes.',
    '__str__': 'Return str(self).',
}

_HIDDEN = {'__author__', '__builtins__', '__cached__', '__credits__', '__date__',
           '__doc__', '__file__', '__spec__', '__loader__', '__module__',
           '__name__', '__package__', '__path__', '__qualname__', '__slots__',
           '__version__'}

_NO_ARG = object()


def _expandtabs(line):
    out = ''
    for c in line:
        if c == '\t':
            out += ' ' * (8 - len(out) % 8)
        else:
            out += c
    return out


def cleandoc(doc):
    """inspect.cleandoc: tabs expanded, the common indentation of the lines
    after the first removed, leading and trailing blank lines dropped."""
    lines = _expandtabs(doc).split('\n')
    margin = None
    for line in lines[1:]:
        content = len(line.lstrip())
        if content:
            indent = len(line) - content
            if margin is None or indent < margin:
                margin = indent
    if lines:
        lines[0] = lines[0].lstrip()
    if margin is not None:
        for i in range(1, len(lines)):
            lines[i] = lines[i][margin:]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return '\n'.join(lines)


def _own_doc(obj):
    try:
        doc = obj.__doc__
    except AttributeError:
        return None
    return doc if isinstance(doc, str) else None


def _is_class(obj):
    return isinstance(obj, type)


def _is_function(obj):
    return type(obj).__name__ == 'function'


def _is_method(obj):
    return type(obj).__name__ == 'method'


def _finddoc(obj, cls=None, name=None):
    # a method: the same name's docstring along the class's bases, then
    # object's (pydoc._finddoc; a class inherits no docstring)
    if cls is None or name is None:
        return None
    for base in cls.__mro__:
        if base is object:
            break
        if name in vars(base):
            doc = _own_doc(vars(base)[name])
            if doc is not None:
                return doc
    return _OBJECT_DOCS.get(name)


def getdoc(obj, cls=None, name=None):
    doc = _own_doc(obj)
    if doc is None:
        doc = _finddoc(obj, cls, name)
    if not isinstance(doc, str):
        return None
    return cleandoc(doc)


def indent(text, prefix='    '):
    if not text:
        return ''
    lines = [prefix + line for line in text.split('\n')]
    if lines:
        lines[-1] = lines[-1].rstrip()
    return '\n'.join(lines)


def classname(cls, modname):
    name = cls.__name__
    if cls.__module__ != modname:
        name = cls.__module__ + '.' + name
    return name


def _repr(obj, maxother=100):
    # reprlib's cut of a long repr, as pydoc's TextRepr does
    s = repr(obj)
    if len(s) > maxother:
        i = max(0, (maxother - 3) // 2)
        j = max(0, maxother - 3 - i)
        s = s[:i] + '...' + s[len(s) - j:]
    return s


# ---- what an object is

def _kind(value):
    t = type(value).__name__
    if t == 'staticmethod':
        return 'static method'
    if t == 'classmethod':
        return 'class method'
    if t == 'property':
        return 'readonly property' if value.fset is None else 'data descriptor'
    if _is_function(value):
        return 'method'
    return 'data'


def _mro(cls):
    return list(cls.__mro__)


def _class_attrs(cls):
    # (name, kind, defining class, value) for each visible attribute,
    # inspect.classify_class_attrs's order: by name
    mro = _mro(cls)
    seen = {}
    result = []
    for base in mro:
        if base is object:
            break
        names = list(vars(base).keys())
        if len(mro) >= 2 and base is mro[-2] and mro[-1] is object:
            # the first class over object holds __dict__ and __weakref__
            names = names + ['__dict__', '__weakref__']
        for name in names:
            if name in seen:
                continue
            seen[name] = True
            if name in ('__dict__', '__weakref__'):
                result.append((name, 'data descriptor', base, None))
                continue
            value = vars(base)[name]
            result.append((name, _kind(value), base, value))
    return [a for a in sorted(result, key=lambda t: t[0]) if _visible(a[0])]


def _visible(name):
    if name in _HIDDEN:
        return False
    if name.startswith('__') and name.endswith('__'):
        return True
    return not name.startswith('_')


_DESCRIPTOR_DOCS = {
    '__dict__': 'dictionary for instance variables (if defined)',
    '__weakref__': 'list of weak references to the object (if defined)',
}


# ---- routines

def docroutine(obj, name=None, mod=None, cl=None, bound_to=None, owner=None):
    """TextDoc.docroutine: the signature line, then the docstring indented."""
    fn = obj
    note = ''
    if _is_method(obj):
        fn = obj.__func__
        self_obj = obj.__self__
        if cl is not None:
            if _is_class(self_obj):
                imclass = type(self_obj)
                note = ' from ' + classname(imclass, mod)
        elif _is_class(self_obj):
            note = ' method of builtins.type instance'
        else:
            note = ' method of %s instance' % classname(type(self_obj), mod)
    realname = fn.__name__
    name = name or realname
    title = name
    argspec = tsr._signature(fn, _is_method(obj))
    if realname == '<lambda>':
        title = name + ' lambda '
        argspec = argspec[1:-1]
    if not argspec:
        argspec = '(...)'
    decl = title + argspec + note
    doc = getdoc(fn, owner, realname) or ''
    return decl + '\n' + (doc and indent(doc).rstrip() + '\n')


def docdata(name, doc):
    out = name + '\n'
    if doc:
        out += indent(doc) + '\n'
    return out


def docother(obj, name, maxlen=None):
    r = _repr(obj)
    if maxlen:
        line = (name and name + ' = ' or '') + r
        chop = maxlen - len(line)
        if chop < 0:
            r = r[:chop] + '...'
    return (name and name + ' = ' or '') + r


# ---- classes

def docclass(cls, name=None, mod=None):
    realname = cls.__name__
    name = name or realname
    bases = cls.__bases__
    modname = cls.__module__
    title = 'class ' + realname
    if bases:
        title = title + '(%s)' % ', '.join([classname(b, modname) for b in bases])
    contents = []
    push = contents.append
    init = None
    for base in _mro(cls):
        if base is object:
            break
        if '__init__' in vars(base):
            init = vars(base)['__init__']
            break
    if init is not None and _is_function(init):
        argspec = tsr._signature(init, True)
        if argspec and argspec != '()':
            push(name + argspec + '\n')
    doc = getdoc(cls)
    if doc:
        push(doc + '\n')
    mro = _mro(cls)
    if len(mro) > 2:
        push("Method resolution order:")
        for base in mro:
            push('    ' + classname(base, modname))
        push('')

    rule = [False]

    def maybe_rule():
        if rule[0]:
            push('-' * 70)
        rule[0] = True

    attrs = _class_attrs(cls)
    for thisclass in mro:
        if thisclass is object:
            break
        mine = [a for a in attrs if a[2] is thisclass]
        if not mine:
            continue
        if thisclass is cls:
            tag = 'defined here'
        else:
            tag = 'inherited from %s' % classname(thisclass, modname)
        for msg, kinds in (('Methods', ('method',)), ('Class methods', ('class method',)),
                           ('Static methods', ('static method',))):
            ok = [a for a in mine if a[1] in kinds]
            if ok:
                maybe_rule()
                push('%s %s:\n' % (msg, tag))
                for aname, kind, home, value in ok:
                    attr = getattr(cls, aname)
                    if kind == 'static method':
                        attr = value.__func__
                    push(docroutine(attr, aname, modname, cls, owner=cls))
        for msg, kind in (('Readonly properties', 'readonly property'), ('Data descriptors', 'data descriptor')):
            ok = [a for a in mine if a[1] == kind]
            if ok:
                maybe_rule()
                push('%s %s:\n' % (msg, tag))
                for aname, k, home, value in ok:
                    if value is None:
                        push(docdata(aname, _DESCRIPTOR_DOCS.get(aname)))
                    else:
                        push(docdata(aname, getdoc(value.fget)))
        ok = [a for a in mine if a[1] == 'data']
        if ok:
            maybe_rule()
            push('Data and other attributes %s:\n' % tag)
            for aname, k, home, value in ok:
                push(docother(getattr(cls, aname), aname, maxlen=70) + '\n')
    text = '\n'.join(contents)
    if not text:
        return title + '\n'
    return title + '\n' + indent(text.rstrip(), ' |  ') + '\n'


# ---- tsr's builtins

def _example(code):
    lines = []
    for i, line in enumerate(code.split('\n')):
        if i and (line == '' or line[0] == ' '):
            lines.append('... ' + line if line else '...')
        else:
            lines.append('>>> ' + line)
    return lines


def _python_signature(obj, short):
    # a function or class of tsr's torch layer written in Python: its own
    # signature (a class: its __init__'s, without self)
    if _is_function(obj):
        return short + tsr._signature(obj, False)
    if _is_class(obj) and hasattr(obj, '__mro__'):
        for base in _mro(obj):
            if base is object:
                break
            if '__init__' in vars(base) and _is_function(vars(base)['__init__']):
                return short + tsr._signature(vars(base)['__init__'], True)
    return None


def doc_builtin(entry, kind, obj=None):
    name, sig, desc, example = entry
    short = name.rsplit('.', 1)[-1]
    if sig is None and obj is not None:
        sig = _python_signature(obj, short)
    if kind == 'module':
        out = 'NAME\n    %s\n\nDESCRIPTION\n' % name
    else:
        out = (sig or short + '(...)') + '\n'
    if desc:
        out += indent(desc) + '\n'
    else:
        out += '    tsr has no help text for %s yet.\n' % name
    if example:
        out += '\n    Example:\n' + '\n'.join(['        ' + l for l in _example(example)]) + '\n'
    return out


def _builtin_title(entry, obj):
    name = entry[0]
    t = type(obj).__name__
    if t == 'module':
        return 'module ' + name, 'module'
    if '.' in name:
        where, short = name.rsplit('.', 1)
    elif entry[1] is None:
        # a builtin tsr has no row for (math.sqrt, [].append): no module named
        return ('class ' if _is_class(obj) else 'built-in function ') + name, 'function'
    else:
        where, short = 'builtins', name
    if where == 'Tensor':
        return 'built-in method %s of torch.Tensor' % short, 'method'
    if _is_class(obj):
        return 'class %s in module %s' % (short, where), 'class'
    if _is_function(obj):
        return 'function %s in module %s' % (short, where), 'function'
    return 'built-in function %s in module %s' % (short, where), 'function'


# ---- help()

_INTRO = '''Welcome to tsr's help.

help(x) shows what x is and how to use it: a function (help(torch.cat)),
a tensor method (help(torch.Tensor.view) or help(x.view)), a layer
(help(nn.Linear)), a module (help(torch)), or your own functions and
classes (their docstrings). dir(x) lists the attributes of x, dir() the
names you have defined. Leave tsr with exit() or Ctrl-D.
'''


def _describe(obj):
    if type(obj).__name__ == 'module':
        return 'module ' + obj.__name__
    if _is_class(obj):
        return 'class ' + obj.__name__
    if _is_method(obj):
        return 'method ' + obj.__func__.__name__
    if _is_function(obj):
        return 'function ' + obj.__name__
    return type(obj).__name__


def _is_program_class(obj):
    # a class pydoc's class page fits: the program's, not Python's or tsr's
    # own built-in types
    return _is_class(obj) and hasattr(obj, '__mro__') and obj.__module__ != 'builtins'


def _doc_entry(entry, obj, title, suffix=''):
    desc, kind = _builtin_title(entry, obj)
    return title % (desc + suffix) + '\n\n' + doc_builtin(entry, kind, obj)


def render_doc(obj, title='Help on %s:'):
    entry = tsr._help_entry(obj)
    if entry is not None:
        return _doc_entry(entry, obj, title)
    if _is_program_class(obj):
        return title % (_describe(obj) + ' in module ' + obj.__module__) + '\n\n' + docclass(obj)
    if _is_function(obj) or _is_method(obj):
        fn = obj.__func__ if _is_method(obj) else obj
        return title % (_describe(obj) + ' in module ' + fn.__module__) + '\n\n' + docroutine(obj)
    # an instance: its class's documentation
    cls = type(obj)
    entry = tsr._help_entry(cls)
    if entry is not None:
        return _doc_entry(entry, cls, title)
    if _is_program_class(cls):
        desc = '%s in module %s object' % (cls.__name__, cls.__module__)
        return title % desc + '\n\n' + docclass(cls)
    name = cls.__name__
    return (title % (name + ' object') + '\n\n' + name +
            '\n    tsr has no help text for %s yet; dir(x) lists its attributes.\n' % name)


def help(request=_NO_ARG):
    if request is _NO_ARG:
        sys.stdout.write(_INTRO)
        return
    if isinstance(request, str):
        entry = tsr._help_entry_named(request)
        if entry is None:
            sys.stdout.write("No Python documentation found for %r.\n"
                             "Use help() to get the interactive help utility.\n"
                             "Use help(str) for help on the str class.\n" % request)
            sys.stdout.write('\n')
            return
        kind = 'module' if entry[1] == entry[0] else 'function'
        sys.stdout.write('Help on %s %s:\n\n' % (kind, entry[0]) + doc_builtin(entry, kind))
        sys.stdout.write('\n')
        return
    sys.stdout.write(render_doc(request))
    sys.stdout.write('\n')
