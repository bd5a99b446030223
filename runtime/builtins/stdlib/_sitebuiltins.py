"""_sitebuiltins: the objects `site` adds to the builtins (CPython's
Lib/_sitebuiltins.py): exit and quit, help, copyright, credits, license.
Typed bare at the prompt they say how to use them."""


class Quitter(object):
    def __init__(self, name, eof):
        self.name = name
        self.eof = eof

    def __repr__(self):
        return 'Use %s() or %s to exit' % (self.name, self.eof)

    def __call__(self, code=None):
        raise SystemExit(code)


class _Printer(object):
    MAXLINES = 23

    def __init__(self, name, data):
        self._Printer__name = name
        self._Printer__lines = data.split('\n')

    def __repr__(self):
        if len(self._Printer__lines) <= self.MAXLINES:
            return "\n".join(self._Printer__lines)
        return "Type %s() to see the full %s text" % ((self._Printer__name,) * 2)

    def __call__(self):
        print("\n".join(self._Printer__lines))


class _Helper(object):
    """Define the builtin 'help'.

    This is a wrapper around pydoc.help that provides a helpful message
    when 'help' is typed at the Python interactive prompt.

    Calling help() at the Python prompt starts an interactive help session.
    Calling help(thing) prints help for the python object 'thing'.
    """

    def __repr__(self):
        return "Type help() for interactive help, " \
               "or help(object) for help about object."

    def __call__(self, *args, **kwds):
        """Call self as a function."""
        import pydoc
        return pydoc.help(*args, **kwds)


_COPYRIGHT = """Copyright (c) 2001-2023 Python Software Foundation.
All Rights Reserved.

Copyright (c) 2000 BeOpen.com.
All Rights Reserved.

Copyright (c) 1995-2001 Corporation for National Research Initiatives.
All Rights Reserved.

Copyright (c) 1991-1995 Stichting Mathematisch Centrum, Amsterdam.
All Rights Reserved."""

_CREDITS = """    Thanks to CWI, CNRI, BeOpen.com, Zope Corporation and a cast of thousands
    for supporting Python development.  See www.python.org for more information."""

exit = Quitter('exit', 'Ctrl-D (i.e. EOF)')
quit = Quitter('quit', 'Ctrl-D (i.e. EOF)')
help = _Helper()
copyright = _Printer('copyright', _COPYRIGHT)
credits = _Printer('credits', _CREDITS)
# The full license text is not in tsr: license() says where it is, as
# CPython does when its LICENSE file is missing.
license = _Printer('license', 'See https://www.python.org/psf/license/')
license.MAXLINES = 0
