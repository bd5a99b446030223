"""typing: the names type annotations use, so that code written with them
(`from typing import List, Optional`) runs; tsr does not evaluate
annotations, so these matter where a program uses them as values: their
reprs are CPython 3.11's (typing.List[int], typing.Optional[str], ~T)."""

TYPE_CHECKING = False


def _type_repr(obj):
    # typing._type_repr
    if isinstance(obj, type):
        if obj.__module__ == 'builtins':
            return obj.__qualname__
        return obj.__module__ + '.' + obj.__qualname__
    if obj is ...:
        return '...'
    if obj is None:
        return 'None'
    return repr(obj)


def _args_repr(args):
    parts = []
    for a in args:
        if isinstance(a, list):  # Callable[[int, str], R]
            parts.append('[' + ', '.join(_type_repr(x) for x in a) + ']')
        elif a is type(None):
            parts.append('NoneType')
        else:
            parts.append(_type_repr(a))
    return ', '.join(parts)


class _GenericAlias:
    # a subscripted alias: typing.List[int]
    def __init__(self, name, origin, args):
        self._name = name
        self.__origin__ = origin
        self.__args__ = args

    def __repr__(self):
        if self._name == 'Optional':
            return 'typing.Optional[' + _args_repr(self.__args__[:1]) + ']'
        return 'typing.' + self._name + '[' + _args_repr(self.__args__) + ']'

    def __eq__(self, other):
        return isinstance(other, _GenericAlias) and self.__origin__ is other.__origin__ and \
            self.__args__ == other.__args__

    def __hash__(self):
        return hash((self._name, self.__args__))

    def __call__(self, *args, **kwargs):
        origin = self.__origin__
        if isinstance(origin, type):
            raise TypeError('Type ' + self._name + ' cannot be instantiated; use ' + origin.__name__ + '() instead')
        raise TypeError('Cannot instantiate ' + repr(origin if isinstance(origin, _SpecialForm) else self))


class _Alias:
    # an unsubscripted alias of a builtin class: typing.List
    def __init__(self, name, origin, nparams, abstract=''):
        self._name = name
        self.__origin__ = origin
        self._nparams = nparams
        self._abstract = abstract  # a collections.abc class: its abstract methods

    def __repr__(self):
        return 'typing.' + self._name

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        if self._nparams >= 0 and len(params) != self._nparams:
            raise TypeError('Too ' + ('many' if len(params) > self._nparams else 'few') +
                            ' arguments for ' + repr(self) + '; actual ' + str(len(params)) +
                            ', expected ' + str(self._nparams))
        return _GenericAlias(self._name, self.__origin__, params)

    def __call__(self, *args, **kwargs):
        if self.__origin__ is None:  # an abstract class of collections.abc
            raise TypeError("Can't instantiate abstract class " + self._name + ' with abstract method' +
                            ('s ' if ', ' in self._abstract else ' ') + self._abstract)
        raise TypeError('Type ' + self._name + ' cannot be instantiated; use ' +
                        self.__origin__.__name__ + '() instead')


class _SpecialForm:
    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return 'typing.' + self._name

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        if self._name == 'Optional':
            if len(params) != 1:
                raise TypeError('typing.Optional requires a single type.')
            return Union[params[0], None]
        if self._name == 'Union':
            flat = []
            for p in params:
                p = type(None) if p is None else p
                if isinstance(p, _GenericAlias) and p._name in ('Union', 'Optional'):
                    items = p.__args__
                else:
                    items = (p,)
                for q in items:
                    if q not in flat:
                        flat.append(q)
            if len(flat) == 1:
                return flat[0]
            name = 'Optional' if len(flat) == 2 and type(None) in flat else 'Union'
            if name == 'Optional' and flat[0] is type(None):
                flat = [flat[1], flat[0]]
            return _GenericAlias(name, Union, tuple(flat))
        return _GenericAlias(self._name, self, params)

    def __call__(self, *args, **kwargs):
        raise TypeError('Cannot instantiate ' + repr(self))


Any = _SpecialForm('Any')
NoReturn = _SpecialForm('NoReturn')
ClassVar = _SpecialForm('ClassVar')
Final = _SpecialForm('Final')
Union = _SpecialForm('Union')
Optional = _SpecialForm('Optional')
Literal = _SpecialForm('Literal')

List = _Alias('List', list, 1)
Dict = _Alias('Dict', dict, 2)
Set = _Alias('Set', set, 1)
FrozenSet = _Alias('FrozenSet', frozenset, 1)
Tuple = _Alias('Tuple', tuple, -1)
Type = _Alias('Type', type, 1)
Callable = _Alias('Callable', None, 2, '__call__')
Iterable = _Alias('Iterable', None, 1, '__iter__')
Iterator = _Alias('Iterator', None, 1, '__next__')
Sequence = _Alias('Sequence', None, 1, '__getitem__, __len__')
Mapping = _Alias('Mapping', None, 2, '__getitem__, __iter__, __len__')
MutableMapping = _Alias('MutableMapping', None, 2, '__delitem__, __getitem__, __iter__, __len__, __setitem__')
Generator = _Alias('Generator', None, 3, 'send, throw')


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound
        self.__covariant__ = covariant
        self.__contravariant__ = contravariant

    def __repr__(self):
        return ('+' if self.__covariant__ else '-' if self.__contravariant__ else '~') + self.__name__


def cast(typ, val):
    return val


def overload(func):
    return func


def no_type_check(func):
    return func


def final(f):
    return f
