/* interp_internal.h: the interpreter's state, shared by eval.c, interp.c
 * and the builtins that need it (print, the console). */
#ifndef TSR_INTERP_INTERNAL_H
#define TSR_INTERP_INTERNAL_H

#include <stdio.h>

#include "ast.h"
#include "interp.h"
#include "ptrmap.h"
#include "traceback.h"
#include "value.h"

/* A program text the interpreter ran (a script, -c code, one console
 * input); kept with its tree so that errors inside functions defined in it
 * can show their line. */
typedef struct Source {
    char *text;
    int64_t len;
    char *filename;
    int line_base; /* lines before text's first: `tsr < file` numbers the file's lines */
} Source;

/* What the language core needs of the builtins layer above it, set by
 * builtins_open (builtins/modules.c): lang/ itself knows no builtin. */
typedef struct {
    const Builtin *(*tensor_method)(const char *name); /* NULL: none */
    Value *(*tensor_getattr)(Value *self, const char *name);
    bool (*tensor_setattr)(Value *self, const char *name, Value *v);
    const Builtin *const *tensor_method_tables; /* NULL-terminated, for completion */
    /* the parameters a caller of a builtin function or method can name,
     * "dim\0out\0" (a static string), or NULL when not known */
    const char *(*builtin_param_names)(Value *callable);
    /* PyTorch's argument parser on a builtin's call (false: TypeError raised);
     * see argparse_check (builtins/torch_argparse.c) */
    bool (*check_call_args)(const Builtin *b, Value *self, const CallArgs *a);
    /* a builtin called with out=: see call_with_out (builtins/out_arg.c) */
    Value *(*call_with_out)(Value *callee, const CallArgs *a, bool *handled);
    /* where Python's module of this name comes from: *kind "built-in" or
     * "frozen" (NULL: a file), *file its __file__ (NULL: none); false when
     * the name is not known */
    bool (*module_origin)(const char *name, const char **kind, const char **file);
    const Builtin *python_builtins;             /* print, len, ...: exempt from device checks */
    int n_python_builtins;
    /* int(x), list(x), ...: calling a type object */
    Value *(*type_call)(TypeId t, const CallArgs *a);
    /* methods and special attributes of Python values (list.append, ...) */
    const Builtin *(*python_method)(Value *obj, const char *name);
    Value *(*getattr_special)(Value *obj, const char *name);
    /* `import NAME` of a module other than torch: a new reference, or NULL
     * with ModuleNotFoundError raised */
    Value *(*import_module)(const char *name);
    /* runs the Python source of a module created unloaded (torch.nn's
     * classes, torch.optim, ...) into its members */
    bool (*module_load)(Value *module);
    /* a bare name that `from torch import *` binds to a torch member
     * written in Python (meshgrid, gradient, ...): a new reference, loading
     * its module the first time; NULL (no error) when the name is not one */
    Value *(*prelude_lazy)(const char *name);
    /* numpy (builtins/numpy_*.c): the operators and attributes of ndarrays
     * and numpy scalars (ndarray.h); inplace: a += b */
    Value *(*numpy_binary)(BinKind op, Value *a, Value *b, bool inplace);
    Value *(*numpy_compare)(CmpKind op, Value *a, Value *b);
    Value *(*numpy_unary)(UnaryKind op, Value *a);
    Value *(*numpy_getattr)(Value *self, const char *name);
    /* drops the builtins' process-wide state that holds the program's
     * values (np.seterrcall's function): interp_free calls it first, before
     * the trees those values point into are freed */
    void (*release_state)(void);
} LangHooks;

struct Interp {
    LangHooks hooks;
    Value *globals;   /* VK_DICT: the program's module namespace */
    Value *prelude;   /* VK_DICT: `from torch import *` names, torch, nn, F, dtypes */
    Value *builtins;  /* VK_DICT: Python builtins (print, len, ...) */
    Value *torch;     /* the torch module */
    Value *modules;   /* VK_DICT: the Python modules imported so far, by name (sys.modules) */
    Node **trees;     /* every parsed tree, kept alive for the functions defined in them */
    Source **sources; /* trees[i] was parsed from sources[i] */
    int n_trees, cap_trees;
    const Source *running;   /* the source of the code running now */
    const Source *err_source; /* where the current error's position lies */
    const Node *err_node;     /* the node whose position it is (its kind picks the carets) */
    /* the frames the current error has left so far, while tsr_err_serial()
     * is tb_serial (traceback.h) */
    Traceback tb;
    unsigned long tb_serial;
    char *hint;       /* "Did you mean" of the current error (hint_serial), or NULL */
    unsigned long hint_serial;
    StrBuf console;   /* console lines typed so far */
    int console_lines;
    /* stdin not a terminal: errors give a line's number in the stream
     * (console_line_no counts every line pushed), not in its statement */
    bool console_numbers_stream;
    int console_line_no, console_first_line;
    int depth;        /* call depth, for RecursionError */
    int depth_limit;  /* RecursionError at this depth: MAX_DEPTH, less inside a generator (its stack is smaller) */
    int recursion_limit; /* sys.setrecursionlimit's; the depth stays below MAX_DEPTH (eval.c) too */
    struct Frame *frame; /* the running frame (super() reads it) */
    /* The exception object behind the current error, while tsr_err_serial()
     * is exc_serial (exceptions.c); the one an except block handles now. */
    Value *exc;
    unsigned long exc_serial;
    Value *handling;
    Value *argv;      /* LIST: the program's arguments (sys.argv) */
    int exit_status;  /* set by an uncaught SystemExit, else -1 */
    bool teach;       /* teaching mode's notes at the console (teach.c) */
    bool inspect;     /* -i: a script's SystemExit is reported, not obeyed */
    PtrMap scopes;    /* def node -> DICT of its local names (scope.c) */
};

/* Python's default recursion limit: RecursionError at this call depth */
#define MAX_DEPTH 900

typedef enum { EXEC_OK, EXEC_BREAK, EXEC_CONTINUE, EXEC_RETURN, EXEC_ERROR } ExecStatus;

typedef struct Frame {
    Value *fn_value;  /* the FUNCTION value running (borrowed: the call holds it), or NULL */
    Value *locals;    /* VK_DICT, or NULL at module level (names go to globals) */
    Value *outer;     /* a class body: the enclosing function's locals (or NULL); its
                         functions close over these, not over the class namespace */
    bool class_body;
    const char *class_name; /* a class body: the class's name (methods' qualnames) */
    const char *scope_name; /* a comprehension's child frame: <listcomp>, <setcomp>, <dictcomp> */
    struct PyGen *gen;        /* a generator's body: its generator (for yield) */
    Function *fn;     /* the running function, NULL at module level */
    Dict *globals;    /* a standard module's namespace, or NULL: in->globals */
    Value *retval;    /* set by `return` */
    Value *global_names; /* VK_DICT of names declared `global` (None) or `nonlocal` (True), or NULL */
    bool echo;        /* console mode: echo expression statements */
    /* a generator expression run in place (gen_feed_inline): its items go
     * to sink instead of being yielded */
    ItemSink sink;
    void *sink_ctx;
    bool sink_stopped;
    bool sink_failed; /* the sink raised: the error is its caller's, not the generator's */
    /* where it runs, for warnings (interp_frame_info): the frame that
     * called it (or resumed its generator), its source, the statement
     * running now */
    struct Frame *back;
    const Source *src;
    const Node *stmt;
} Frame;

/* The one interpreter of the process (builtins reach it through this). */
extern struct Interp *tsr_interp;

Value *eval_expr(struct Interp *in, Frame *f, Node *n);
ExecStatus exec_block(struct Interp *in, Frame *f, NodeList *body);
Value *call_function(struct Interp *in, Value *callee, const CallArgs *a);


/* Shared by eval.c (expressions, assignment) and exec.c (statements). */
void eval_note_pos(Node *n);   /* records n's position for the current error, once */
Value *eval_fail_at(Node *n);  /* eval_note_pos(n); returns NULL */
bool is_global_name(Frame *f, const char *name);
bool store_name(struct Interp *in, Frame *f, const char *name, Value *v);
bool assign_target(struct Interp *in, Frame *f, Node *t, Value *v);
bool exec_augassign(struct Interp *in, Frame *f, Node *n);
bool exec_del(struct Interp *in, Frame *f, Node *t);
Value *make_function(struct Interp *in, Frame *f, Node *n, bool is_lambda);
/* The loop of a generator expression, run as f's generator body. */
bool eval_genexp_body(struct Interp *in, Frame *f);

/* traceback.c: the name a traceback gives frame f's code (f, <lambda>,
 * <listcomp>, a class's name, <module>). */
const char *frame_code_name(const Frame *f);
/* The current error leaves a frame whose code is called name: the
 * position noted in it becomes an entry of the traceback, and the
 * position is cleared for the caller to note its own. */
void tb_leave_frame(struct Interp *in, const char *name);
/* A bare `raise`: the error goes on from the frame of the traceback's
 * outermost entry (the one that caught it) at that entry's position, as
 * if it had never left it. */
void tb_resume_outer(struct Interp *in);
/* The current error's traceback (empty when it has left no frame yet). */
Traceback *tb_current(struct Interp *in);

/* suggestions.c: CPython 3.11's "Did you mean" of the error just raised:
 * a NameError for name in frame f, an AttributeError for obj.name. */
void suggest_name_error(struct Interp *in, Frame *f, const char *name);
void suggest_attribute_error(struct Interp *in, Value *obj, const char *name);
const char *suggest_current(struct Interp *in); /* the current error's, or NULL */
char *suggest_take(struct Interp *in);          /* the same, now the caller's (malloc'd) */
void suggest_restore(struct Interp *in, char *hint); /* takes hint: the current error's again */
/* the attribute names of a tensor besides its methods (interp.c) */
extern const char *const tensor_attr_names[];

/* A list of names borrowed from dicts and tables (suggestions.c): the
 * candidates of "Did you mean", dir()'s names. failed: an append ran out
 * of memory (the list lacks names). */
typedef struct {
    const char **items;
    int64_t n, cap;
    bool failed;
} Names;
void names_add(Names *l, const char *s);
void names_of_dict(Names *l, Dict *d);  /* its keys; d may be NULL */
int cmp_names(const void *a, const void *b); /* qsort's order of two items */

/* The module namespace a frame's global names live in. */
static inline Dict *frame_globals(struct Interp *in, const Frame *f) {
    return f->globals ? f->globals : in->globals->dict;
}

/* Runs src as the body of the standard module `name`, whose members dict
 * is its globals. False with the error raised when it fails. */
bool interp_run_module(struct Interp *in, const char *name, const char *src, size_t len, Dict *globals);

/* Name lookup through locals, closure, globals, prelude, builtins:
 * borrowed, NULL (no error raised) when undefined. */
Value *lookup_name(struct Interp *in, Frame *f, const char *name);

/* Keeps a parsed tree and its text for the interpreter's life (functions
 * point into both); NULL (tree freed) on OOM. */
const Source *interp_keep_tree(struct Interp *in, Node *tree, const char *text, int64_t len,
                               const char *filename);

/* Python semantics helpers (eval_ops.c) */
Value *binary_op(BinKind op, Value *a, Value *b);
Value *inplace_op(BinKind op, Value *a, Value *b);
Value *unary_op(UnaryKind op, Value *a);
Value *compare_op(CmpKind op, Value *a, Value *b);
Value *get_item(Value *obj, Value *index);
/* Python's slice.indices for a sequence of length n (eval_ops.c) */
bool slice_indices(Value *s, int64_t n, int64_t *start, int64_t *stop, int64_t *step);
bool set_item(Value *obj, Value *index, Value *v);
bool del_item(Value *obj, Value *index);
Value *get_attr(Value *obj, const char *name);
/* A module's members, after running its Python part the first time one is
 * asked for (borrowed; NULL with the error if that part failed). */
Dict *module_members(Value *module);
bool set_attr(Value *obj, const char *name, Value *v);
/* Iteration: materializes the items of an iterable into a new LIST value. */
Value *iterate_to_list(Value *v);
/* str % args */
Value *percent_format(Value *fmt, Value *args);
/* format(v, spec) for f-strings */
Value *format_value(Value *v, const char *spec);

/* Writes text to stdout (print, echo). */
/* Writes to / flushes stdout; false with OSError (BrokenPipeError)
 * raised when the stream fails. */
bool tsr_write_stdout(const char *s, int64_t len);
bool tsr_flush_stdout(void);

const char *type_object_name(TypeId t);
Value *type_object_module(TypeId t); /* its __module__: "builtins", "torch", ... */

/* exceptions.c: raising and catching exception objects */
bool exc_raise_value(struct Interp *in, Value *v, Value *cause); /* always false */
Value *exc_current(struct Interp *in);  /* the current error as an exception object */
int exc_matches(Value *exc, Value *spec); /* 1, 0, -1 (error: spec is not a class) */
/* KeyError(key): e.args is (key,), the message repr(key). */
void raise_key_error(Value *key);
/* SystemExit's code: None without arguments, the argument, or the tuple
 * of them (a new reference). */
Value *exc_exit_code(Value *exc);
/* Saves and restores the whole error state around a finally block. */
typedef struct {
    ErrKind kind;
    char *class_name, *msg;
    int line, col, end_line, end_col;
    const struct Source *source;
    const Node *node;
    Traceback tb; /* the frames it left before it was saved */
    char *hint;   /* its "Did you mean" name, or NULL */
    Value *exc;
} SavedError;
bool exc_save(struct Interp *in, SavedError *s);
void exc_restore(struct Interp *in, SavedError *s); /* makes s the current error again */
void exc_discard(SavedError *s);
/* The current error is handled and dropped: clears it and lets go of the
 * exception object kept for it, which else lives on until the next one. */
void exc_drop(struct Interp *in);
/* The report of an error as an uncaught one prints it (interp.c): its
 * traceback, then `Class: message`; a malloc'd string, NULL on OOM. */
char *exc_render_report(const Traceback *tb, const char *class_name, const char *msg, const char *hint);
/* exc was caught in frame f with the error s: it keeps its traceback
 * (for a re-raise) and its report (for the traceback of an exception
 * raised while handling it). */
void exc_caught(struct Interp *in, Value *exc, const SavedError *s, const Frame *f);
/* An error escaped while handling exc (an except or finally block): the
 * current exception's __context__ becomes exc unless set (or a cycle). */
void exc_set_context(struct Interp *in, Value *exc);

/* gc.c: the cycle collector (lists, dicts, instances, closures and frames,
 * and every container they reach) */
void gc_register_frame(Value *locals);
void gc_track_container(Value *v);   /* a new list or dict */
void gc_untrack_container(Value *v); /* a list or dict being freed */
bool val_release_busy(void);
/* value.c: around a comparison that may recurse into containers:
 * false with RecursionError past the recursion limit */
bool cmp_enter(void);
void cmp_leave(void);         /* value.c: a free is under way (no collection then) */
void gc_track_instance(Value *v);   /* instance_new */
void gc_untrack_instance(Value *v); /* an instance being freed */
void instance_clear(Value *v);       /* value.c: releases an instance's parts (its freeing) */
struct PyGen;
void gc_track_generator(Value *v);                       /* gen_new */
void gc_untrack_generator(struct PyGen *g, int64_t index); /* gen_free */
void gc_maybe_collect(void);
void gc_track_grad_tensors(void); /* sets ag_grad_history_hook (interp_new) */
void gc_collect(void);
void gc_shutdown(void);
/* At exit: drops the .grad (with a history) of the tensors root reaches. */
void gc_drop_grad_graphs(Value *root);

#endif
