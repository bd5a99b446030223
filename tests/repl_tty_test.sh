#!/usr/bin/env bash
# repl_tty_test.sh: drives the real REPL on a terminal (tmux) as a person
# would: banner, echo, blocks with `... `, Tab completion and indentation,
# Ctrl-C at the prompt and during a loop, history, Ctrl-D, pasting, keyword
# and file name completion, long candidate lists.
#   tests/repl_tty_test.sh [path/to/tsr]        (default build/tsr)
# Prints one line per check and closes with `N passed, N failed`.
set -u

TSR=${1:-build/tsr}
if ! command -v tmux >/dev/null 2>&1; then
    echo "SKIP: tmux is not installed (scripts/setup installs it)"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi
if [ ! -x "$TSR" ]; then
    echo "repl_tty_test: no executable at $TSR (run make first)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
TSR=$(cd "$(dirname "$TSR")" && pwd)/$(basename "$TSR")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tsr-tty.XXXXXX")
SOCK=
sessions=0
passed=0
failed=0
mark=0

tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() {
    [ -n "$SOCK" ] && tm kill-server >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT

# The session's shell prints the exit status when tsr ends, then waits.
# Each session gets its own tmux server (socket).
# start [ENV=VALUE ...] [-- ARGS ...]: extra environment and arguments for tsr.
start() {
    local envs="" args=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs '$1'"; shift; done
    [ "${1:-}" = "--" ] && shift
    for a in "$@"; do args="$args '$a'"; done
    [ -n "$SOCK" ] && tm kill-server >/dev/null 2>&1
    sessions=$((sessions + 1))
    SOCK="tsr-tty-$$-$sessions"
    tm new-session -d -s t -x 120 -y 40 \
        "env -u TSR_HISTFILE -u TSR_STARTUP HOME='$WORK' INPUTRC=/dev/null TERM=xterm $envs '$TSR' $args; echo \"[tsr exit status \$?]\"; sleep 60"
    tm set-option -t t history-limit 5000 >/dev/null
    mark=0
}

screen() { tm capture-pane -p -t t -S - 2>/dev/null; }

# Remember where the screen ends now: later checks look only below it
# (the current prompt line included).
set_mark() {
    local n
    n=$(screen | grep -n . | tail -1 | cut -d: -f1)
    mark=$(( ${n:-1} - 1 ))
}

since_mark() { screen | tail -n +"$((mark + 1))"; }

# wait_for EREGEX [SECONDS]: a line below the mark matches.
wait_for() {
    local re=$1 t=${2:-5} i
    for ((i = 0; i < t * 20; i++)); do
        if since_mark | grep -Eq -- "$re"; then return 0; fi
        sleep 0.05
    done
    return 1
}

check() { # NAME EREGEX [SECONDS]
    if wait_for "$2" "${3:-5}"; then
        passed=$((passed + 1))
        echo "ok   $1"
    else
        failed=$((failed + 1))
        echo "FAIL $1: no line matching /$2/ in:"
        since_mark | grep . | tail -8 | sed 's/^/    | /'
    fi
}

check_not() { # NAME EREGEX: nothing below the mark matches (after a pause)
    sleep 0.5
    if since_mark | grep -Eq -- "$2"; then
        failed=$((failed + 1))
        echo "FAIL $1: unexpected line matching /$2/"
        since_mark | grep . | tail -8 | sed 's/^/    | /'
    else
        passed=$((passed + 1))
        echo "ok   $1"
    fi
}

keys() { tm send-keys -t t "$@"; }
type_line() { keys -l "$1"; keys Enter; }

# ---------------------------------------------------------------- session 1
start
check "banner" '^tsr [0-9]+\.[0-9]+\.[0-9]+ \(.+\)$' 15
check "the banner says how to get help and how to leave" '^Type "help\(\)" or "help\(object\)" for help; "exit\(\)" or Ctrl-D to leave\.$' 5
check "first prompt" '^>>>' 5

set_mark
type_line 'x = 1'
type_line 'x + 1'
check "echo of x + 1" '^2$'

set_mark
type_line 'for i in range(3):'
check "continuation prompt" '^\.\.\. ?$'
keys Tab
keys -l 'print(i * 10)'
check "Tab on an empty continuation line indents" '^\.\.\.     print\(i \* 10\)$'
keys Enter
keys Enter
check "for block ran" '^20$'
check "for block printed 0" '^0$'

set_mark
type_line 'xylophone_count = 7'
keys -l 'xylo'
keys Tab
check "Tab completes a variable" '^>>> xylophone_count$'
keys Enter
check "completed line runs" '^7$'

set_mark
keys -l 'torch.ze'
keys Tab
check "Tab completes torch.ze to the common prefix" '^>>> torch\.zero$'
keys Tab
check "second Tab lists torch.zeros_like" 'torch\.zeros_like'
check "second Tab lists torch.zeros" 'torch\.zeros( |$)'
keys C-c
check "Ctrl-C at the prompt prints KeyboardInterrupt" '^KeyboardInterrupt$'
set_mark
check "fresh prompt after Ctrl-C" '^>>> ?$'

set_mark
keys -l 'cancelled_var = 5'
keys C-c
type_line 'cancelled_var'
check "cancelled line did not run" "NameError"

set_mark
type_line 'if True:'
keys -l '    half_typed = 1'
keys Enter
keys C-c
type_line 'half_typed'
check "Ctrl-C drops a half-typed block" "NameError"

set_mark
type_line 'while True: pass'
keys Enter
sleep 1
keys C-c
check "Ctrl-C stops a running loop" 'KeyboardInterrupt' 10
set_mark
type_line 'x * 10'
check "variables survive the interrupt" '^10$' 10

set_mark
type_line 'x * 70'
type_line '_ + 1'
check "_ holds the last echoed value" '^71$'

set_mark
type_line 'def boom(v):'
type_line '    return v / 0'
keys Enter
type_line 'boom(1)'
check "a traceback names the caller's frame" '^  File "<stdin>", line 1, in <module>$'
check "a traceback names the function's frame" '^  File "<stdin>", line 2, in boom$'
check "a traceback ends with the error" '^ZeroDivisionError: division by zero$'

set_mark
type_line 'if True:'
type_line '    ctrl_d_block = 3'
keys C-d
type_line 'ctrl_d_block + 1'
check "Ctrl-D at ... ends the block and keeps the session" '^4$'

set_mark
keys C-d
check "Ctrl-D exits with status 0" '^\[tsr exit status 0\]$'

if [ -f "$WORK/.tsr_history" ] && grep -qx 'x + 1' "$WORK/.tsr_history" &&
    grep -qx 'xylophone_count = 7' "$WORK/.tsr_history"; then
    passed=$((passed + 1))
    echo "ok   history written to ~/.tsr_history"
else
    failed=$((failed + 1))
    echo "FAIL history written to ~/.tsr_history"
    sed 's/^/    | /' "$WORK/.tsr_history" 2>/dev/null | tail -5
fi

# ---------------------------------------------------------------- session 2
start
check "second session starts" '^>>>' 15
set_mark
keys Up
check "Up recalls the last line of the previous session" '^>>> ctrl_d_block \+ 1$'
keys C-u
type_line 'x'
check "a new session starts with no variables" 'NameError'
set_mark
keys C-d
check "Ctrl-D exits again" '^\[tsr exit status 0\]$'

# ---------------------------------------------------------------- -i and TSR_STARTUP
printf 'from_script = 6\nprint("script ran")\n' > "$WORK/script.tsr"
start -- -i "$WORK/script.tsr"
check "-i runs the script first" '^script ran$' 15
check "-i then shows the prompt" '^>>>' 5
set_mark
type_line 'from_script * 7'
check "-i keeps the script's variables" '^42$'
keys C-d
check "-i: Ctrl-D exits" '^\[tsr exit status 0\]$'

printf 'import sys\nbefore_exit = 8\nsys.exit(3)\n' > "$WORK/exits.tsr"
start -- -i "$WORK/exits.tsr"
check "-i: sys.exit() in the script is reported" '^SystemExit: 3$' 15
check "-i: then the prompt" '^>>>' 5
set_mark
type_line 'before_exit + 1'
check "-i: the variables before sys.exit() are kept" '^9$'
keys C-d
check "-i after sys.exit(): Ctrl-D exits with status 0" '^\[tsr exit status 0\]$'

printf 'from_startup = 5\nprint("startup ran")\n' > "$WORK/startup.tsr"
start "TSR_STARTUP=$WORK/startup.tsr"
check "TSR_STARTUP runs before the first prompt" '^startup ran$' 15
set_mark
type_line 'from_startup + 1'
check "TSR_STARTUP's variables are the session's" '^6$'
keys C-d
check "TSR_STARTUP: Ctrl-D exits" '^\[tsr exit status 0\]$'

start "TSR_STARTUP=$WORK/no_such_startup.tsr"
check "a missing TSR_STARTUP is reported as Python reports PYTHONSTARTUP" '^Could not open TSR_STARTUP$' 15
check "a missing TSR_STARTUP: the error" "^FileNotFoundError: \\[Errno 2\\] No such file or directory: '.*/no_such_startup\\.tsr'$"
check "a missing TSR_STARTUP: the session starts" '^>>>' 5
keys C-d
check "a missing TSR_STARTUP: Ctrl-D exits" '^\[tsr exit status 0\]$'

# ---------------------------------------------------------------- --teach
start -- --teach
check "--teach: prompt" '^>>>' 15
set_mark
type_line 'a = torch.arange(6)'
type_line 'a.view(2, 3)'
check "--teach: a view says whose storage it shares" '^# view of a \(shares storage\)$'
set_mark
type_line 'a * 2'
check "--teach: a result says it has new storage" '^# new storage$'
set_mark
type_line 't = a.view(2, 3).t()'
type_line 't.reshape(6)'
check "--teach: a copy says why" '^# copy: input was not contiguous$'
set_mark
type_line 's = a[1:3]'
type_line 's[0] = 100'
check "--teach: an in-place write names the other variables it changed" '^# writing into s also changed a, t \(shared storage\)$'
set_mark
type_line 'w = torch.ones(2, requires_grad=True)'
type_line '(w * 3).sum().backward()'
type_line '(w * 3).sum().backward()'
check "--teach: a backward into an unzeroed .grad is pointed out" '^# backward\(\) added into w\.grad, which still held the last gradient'
set_mark
type_line 'tsr.teach(False)'
type_line 'a.view(3, 2)'
check_not "tsr.teach(False) turns the notes off" '^# '
keys C-d
check "--teach: Ctrl-D exits" '^\[tsr exit status 0\]$'

# ---------------------------------------------------------------- --record
start -- --record "$WORK/session.md"
check "--record: prompt" '^>>>' 15
set_mark
type_line 'r = torch.tensor([1, 2])'
type_line 'r * 2'
check "--record: the session still shows its output" '^tensor\(\[2, 4\]\)$'
type_line 'for i in range(2):'
type_line '    print(i)'
keys Enter
check "--record: a block runs" '^1$'
keys C-d
check "--record: Ctrl-D exits" '^\[tsr exit status 0\]$'
want='# tsr session

Check it again with `tsr --check FILE.md`.

```python
>>> r = torch.tensor([1, 2])
>>> r * 2
tensor([2, 4])
>>> for i in range(2):
...     print(i)
0
1

```'
if [ "$(cat "$WORK/session.md" 2>/dev/null)" = "$want" ]; then
    passed=$((passed + 1))
    echo "ok   --record writes the session as a handout"
else
    failed=$((failed + 1))
    echo "FAIL --record writes the session as a handout:"
    sed 's/^/    | /' "$WORK/session.md" 2>/dev/null
fi
if "$TSR" --check "$WORK/session.md" >/dev/null; then
    passed=$((passed + 1))
    echo "ok   --check passes on the recorded handout"
else
    failed=$((failed + 1))
    echo "FAIL --check passes on the recorded handout"
fi
# ---------------------------------------------------------------- help and warnings
start
check "help session: first prompt" '^>>>' 15
set_mark
type_line 'help(torch.cat)'
check "help(torch.cat) at the prompt: its title" '^Help on built-in function cat in module torch:$'
check "help(torch.cat): the signature" '^cat\(tensors, dim=0, \*, out=None\) -> Tensor$'
check "help(torch.cat): back at the prompt" '^>>> ?$'
set_mark
type_line 'def twice(x):'
type_line '    "Doubles x."'
type_line '    return 2 * x'
keys Enter
type_line 'help(twice)'
check "help of a user function: its signature" '^twice\(x\)$'
check "help of a user function: its docstring" '^    Doubles x\.$'
set_mark
type_line 'import warnings'
type_line 'warnings.warn("careful")'
check "a warning at the prompt names <stdin>:1" '^<stdin>:1: UserWarning: careful$'
set_mark
type_line 'y = torch.ones(2, requires_grad=True) * 2; y.grad'
check "PyTorch's non-leaf .grad warning at the prompt" '^<stdin>:1: UserWarning: The \.grad attribute of a Tensor that is not a leaf Tensor'
keys C-d
check "help session: Ctrl-D exits" '^\[tsr exit status 0\]$'

# ---------------------------------------------------------------- paste and completion
# paste TEXT: as a terminal pastes (bracketed, when tsr asks for it)
paste() {
    printf '%s' "$1" > "$WORK/paste.txt"
    tm load-buffer "$WORK/paste.txt"
    tm paste-buffer -p -t t
}
start
check "paste session: first prompt" '^>>>' 15
set_mark
paste $'def padded(a):\n    b = a + 1\n\n    return b * 2\n\nprint(padded(3) + 100)\n'
keys Enter
check "a pasted def keeps the lines after its blank line" '^108$'
set_mark
paste $'>>> pasted_t = 40\n>>> pasted_t + 2\n42\n>>> for i in range(2):\n...     print(i + 500)\n...\n500\n501\n'
keys Enter
check "a pasted transcript runs without its prompts" '^42$'
check "a pasted transcript runs its block" '^501$'
check_not "a transcript's output lines do not run" 'SyntaxError|Error'
set_mark
paste $'for i in range(2):\n    print(i + 600)\nprint("loop done")\n'
keys Enter
check "a pasted loop followed at column 0 by a statement runs both" '^loop done$'
check "the pasted loop ran first" '^601$'
check_not "code pasted from a file is no SyntaxError" 'SyntaxError'
set_mark
paste $'def noted():\n    v = 1\n# a comment at column 0\n    return v + 700\n\nprint(noted())\n'
keys Enter
check "a comment at column 0 stays inside a pasted body" '^701$'
set_mark
paste $'>>> for i in range(2):\n...     print(i + 800)\n800\n801\n>>> 40 + 2\n42\n'
keys Enter
check "a doctest-style transcript (no closing ...) runs its block" '^801$'
check "a doctest-style transcript runs the statement after the block" '^42$'
check_not "a doctest-style transcript is no SyntaxError" 'SyntaxError'
set_mark
paste $'    >>> indented_t = 5\n    >>> for i in range(2):\n    ...     print(i + indented_t * 180)\n    900\n    901\n    >>> indented_t * 2\n    10\n'
keys Enter
check "an indented transcript runs without its margin" '^10$'
check "an indented transcript runs its block" '^901$'
check_not "an indented transcript is no error" 'Error'
set_mark
paste $'long_s = """a\nb\n"""\nlong_t = (1,\n2)\nprint(repr(long_s), long_t)\n'
keys Enter
check "column-0 lines inside a pasted string and brackets stay in them" "^'a\\\\nb\\\\n' \\(1, 2\\)$"
set_mark
paste $'tabbed = [1,\n\t2]\n'
keys Enter
type_line 'len(tabbed)'
check "a Tab inside pasted text is text" '^2$'
check_not "a Tab inside pasted text lists nothing" 'Display all|tabbed +tan'
set_mark
type_line 'cx = torch.ones(2)'
keys -l 'torch.cat([cx], d'
keys Tab
check "Tab completes a keyword argument" '^>>> torch\.cat\(\[cx\], dim=$'
keys C-u
set_mark
keys -l 'nn.Linear(3, 2, b'
keys Tab
check "Tab completes a class's keyword argument" '^>>> nn\.Linear\(3, 2, bias=$'
keys C-u
set_mark
keys -l 'torch.sum(cx, dim=0, d'
keys Tab
check "a keyword already given is not offered again" '^>>> torch\.sum\(cx, dim=0, dtype=$'
keys C-u
mkdir -p "$WORK/files" && : > "$WORK/files/train_data.csv"
set_mark
keys -l "open(\"$WORK/files/tr"
keys Tab
check "Tab inside a string completes a file name" 'files/train_data\.csv"?$'
keys C-u
set_mark
keys -l 'cx.__an'
keys Tab
keys Tab
check "a dunder completes" '^>>> cx\.__and__$'
check_not "no in-place form of a dunder is offered" '__and___'
keys C-u
set_mark
keys -l 'cx..cum'
keys Tab
keys Tab
check_not "nothing completes after a double dot" 'cummax'
keys C-u
set_mark
keys -l 'torch.s'
keys Tab
keys Tab
check "a list under 100 candidates shows at once" 'torch\.squeeze( |$)'
check_not "a list under 100 candidates asks nothing" 'Display all'
keys C-u
set_mark
keys -l 'torch.'
keys Tab
check "a list of 100 or more asks first, as readline does" '^Display all [0-9]+ possibilities\? \(y or n\)$'
set_mark
keys x
check_not "a key other than y or n is no answer" '^>>> torch\.$'
keys n
check "after n, back at the line" '^>>> torch\.$'
set_mark
keys Tab
keys y
check "after y, the list stops at --More--" '^--More--$'
keys q
check "after q, back at the line" '^>>> torch\.$'
keys C-u
keys C-d
check "paste session: Ctrl-D exits" '^\[tsr exit status 0\]$'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
