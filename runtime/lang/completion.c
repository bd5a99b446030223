/* completion.c: Tab completion's candidates for the word under the cursor:
 * keywords and names, dotted attributes (resolved without running the
 * program's code), and keyword arguments inside a call; and whether the
 * cursor is inside a string (the line editor then completes file names). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "class.h"
#include "error.h"
#include "interp_internal.h"

static const char *const keywords[] = {
    "False", "None", "True", "and", "as", "assert", "break", "continue", "def", "del", "elif",
    "else", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
    "pass", "return", "while", "with", NULL};

const char *const tensor_attr_names[] = {"shape", "dtype", "device", "T", "mT", "grad",
                                           "requires_grad", "is_leaf", "grad_fn", "data", "ndim",
                                           "is_cuda", NULL};

typedef struct {
    char **items;
    int n, cap;
} Cands;

static void cand_add(Cands *c, const char *prefix, size_t plen, const char *name, const char *suffix) {
    size_t nlen = strlen(name), slen = strlen(suffix);
    for (int i = 0; i < c->n; i++) /* dedupe */
        if (strlen(c->items[i]) == plen + nlen + slen && !memcmp(c->items[i] + plen, name, nlen) &&
            !memcmp(c->items[i] + plen + nlen, suffix, slen))
            return;
    if (c->n + 2 > c->cap) {
        int cap = c->cap ? c->cap * 2 : 32;
        char **items = realloc(c->items, sizeof(char *) * (size_t)cap);
        if (!items) return;
        c->items = items;
        c->cap = cap;
    }
    char *s = malloc(plen + nlen + slen + 1);
    if (!s) return;
    memcpy(s, prefix, plen);
    memcpy(s + plen, name, nlen);
    memcpy(s + plen + nlen, suffix, slen + 1);
    c->items[c->n++] = s;
}

/* only_modules: the namespace's modules alone (torch, nn, F beside
 * keyword arguments) */
static void cand_dict(Cands *c, Dict *d, const char *prefix, size_t plen, const char *word, bool hide_private,
                      bool only_modules) {
    int64_t it = 0;
    const char *k;
    Value *v;
    size_t wlen = strlen(word);
    while (dict_next(d, &it, &k, &v))
        if (!strncmp(k, word, wlen) && !(hide_private && k[0] == '_' && word[0] != '_') &&
            (!only_modules || v->kind == VK_MODULE))
            cand_add(c, prefix, plen, k, "");
}

/* The length of a dotted name's first part ("torch" of "torch.nn"). */
static size_t package_len(const char *name) {
    const char *dot = strchr(name, '.');
    return dot ? (size_t)(dot - name) : strlen(name);
}

/* Whether module mod's member key is one of its own names rather than one
 * its Python code imported (nn's `math`, `copy`, `OrderedDict`, `F`):
 * a module only as its sub-module (torch.nn.functional as `functional`),
 * a class or function only from its own package. PyTorch's modules do not
 * export what their files import. */
static bool own_member(const Value *mod, const char *key, Value *v) {
    const char *mname = mod->module.name;
    if (!mname) return true;
    if (v->kind == VK_MODULE) {
        size_t n = strlen(mname);
        const char *vname = v->module.name;
        return vname && !strncmp(vname, mname, n) && vname[n] == '.' && !strcmp(vname + n + 1, key);
    }
    if (v->kind != VK_CLASS && v->kind != VK_FUNCTION && v->kind != VK_INSTANCE) return true;
    Value *m = get_attr(v, "__module__");
    bool own = true;
    if (m && m->kind == VK_STR) {
        size_t n = package_len(mname);
        own = package_len(m->str.s) == n && !strncmp(m->str.s, mname, n);
    }
    val_release(m);
    tsr_err_clear();
    return own;
}

static void cand_module(Cands *c, const Value *mod, Dict *d, const char *prefix, size_t plen, const char *word) {
    int64_t it = 0;
    const char *k;
    Value *v;
    size_t wlen = strlen(word);
    while (dict_next(d, &it, &k, &v))
        if (!strncmp(k, word, wlen) && !(k[0] == '_' && word[0] != '_') && own_member(mod, k, v))
            cand_add(c, prefix, plen, k, "");
}

static void cand_table(Cands *c, const Builtin *t, const char *prefix, size_t plen, const char *word) {
    size_t wlen = strlen(word);
    for (; t->name; t++)
        if (t->name[0] && !strncmp(t->name, word, wlen)) cand_add(c, prefix, plen, t->name, "");
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------ the line */

enum { MAX_OPEN = 256 };

/* What the text before pos leaves open: a string (its quote, 0 when none)
 * and the innermost bracket (its position, -1 when none). A comment ends
 * the code. */
typedef struct {
    char quote;
    bool comment;
    int open;
} LineState;

static LineState scan_line(const char *line, int pos) {
    LineState st = {0, false, -1};
    int stack[MAX_OPEN], depth = 0;
    bool triple = false;
    for (int i = 0; i < pos && line[i]; i++) {
        char ch = line[i];
        if (st.quote) {
            if (ch == '\\') {
                i++;
            } else if (ch == st.quote) {
                if (!triple) st.quote = 0;
                else if (i + 2 < pos && line[i + 1] == ch && line[i + 2] == ch) st.quote = 0, i += 2;
            }
            continue;
        }
        if (ch == '#') {
            st.comment = true;
            break;
        }
        if (ch == '"' || ch == '\'') {
            st.quote = ch;
            triple = i + 2 < pos && line[i + 1] == ch && line[i + 2] == ch;
            if (triple) i += 2;
        } else if (ch == '(' || ch == '[' || ch == '{') {
            if (depth < MAX_OPEN) stack[depth] = i;
            depth++;
        } else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0) {
            depth--;
        }
    }
    if (depth > 0 && depth <= MAX_OPEN) st.open = stack[depth - 1];
    return st;
}

bool interp_completing_string(const char *line, int pos) {
    return scan_line(line, pos).quote != 0;
}

static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* NAME(.NAME)*, resolved without calling anything (modules load their
 * Python; no property or __getattr__ of the program runs). *bound: the
 * last step took a function from an instance's class (a method). New
 * reference, or NULL. */
static Value *resolve_path(Interp *in, const char *path, size_t len, bool *bound) {
    *bound = false;
    Value *cur = NULL;
    Frame frame = {0};
    for (size_t i = 0; i <= len;) {
        size_t j = i;
        while (j < len && path[j] != '.') j++;
        if (j == i || j - i > 255) { /* `x..y`, `.y`: no name */
            val_release(cur);
            return NULL;
        }
        char part[256];
        memcpy(part, path + i, j - i);
        part[j - i] = 0;
        Value *next = NULL;
        *bound = false;
        if (!cur) {
            next = val_retain(lookup_name(in, &frame, part));
        } else if (cur->kind == VK_MODULE || cur->kind == VK_TENSOR || cur->kind == VK_NAMEDTUPLE) {
            next = get_attr(cur, part);
        } else if (cur->kind == VK_CLASS) {
            next = val_retain(class_lookup(cur, part));
        } else if (cur->kind == VK_INSTANCE) {
            next = cur->inst.dict ? val_retain(dict_get(cur->inst.dict->dict, part)) : NULL;
            if (!next) {
                next = val_retain(class_lookup(cur->inst.cls, part));
                *bound = next && next->kind == VK_FUNCTION;
            }
        }
        tsr_err_clear();
        val_release(cur);
        cur = next;
        if (!cur) return NULL;
        i = j + 1;
    }
    return cur;
}

/* The names a caller can give as keywords: "a\0b\0\0"-style from the
 * builtins, or a Python function's parameters (skip: its first, self). */
typedef struct {
    const char *table;   /* builtins' list, or NULL */
    const Params *params; /* or a function's */
    int skip;
} ParamNames;

static bool param_names_of(Interp *in, Value *callee, bool bound, ParamNames *out) {
    memset(out, 0, sizeof *out);
    if (callee->kind == VK_BOUND) {
        callee = callee->bound.fn;
        bound = true;
    }
    if (callee->kind == VK_CLASS) {
        Value *init = class_lookup(callee, "__init__");
        if (!init) return false;
        callee = init;
        bound = true;
    }
    if (callee->kind == VK_FUNCTION) {
        out->params = callee->fn->params;
        out->skip = bound ? 1 : 0;
        return out->params != NULL;
    }
    if ((callee->kind == VK_BUILTIN || callee->kind == VK_METHOD) && in->hooks.builtin_param_names) {
        out->table = in->hooks.builtin_param_names(callee);
        return out->table != NULL;
    }
    return false;
}

/* name=... already given among the call's arguments text[0..n) */
static bool keyword_given(const char *args, int n, const char *name) {
    size_t len = strlen(name);
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < n; i++) {
        char ch = args[i];
        if (quote) {
            if (ch == '\\') i++;
            else if (ch == quote) quote = 0;
            continue;
        }
        if (ch == '"' || ch == '\'') quote = ch;
        else if (ch == '(' || ch == '[' || ch == '{') depth++;
        else if (ch == ')' || ch == ']' || ch == '}') depth--;
        else if (depth == 0 && !strncmp(args + i, name, len) && (i == 0 || !is_name_char(args[i - 1]))) {
            int j = i + (int)len;
            while (j < n && args[j] == ' ') j++;
            if (j < n && args[j] == '=' && (j + 1 >= n || args[j + 1] != '=')) return true;
        }
    }
    return false;
}

static void cand_keyword(Cands *c, const char *name, const char *word, const char *args, int n) {
    if (!strncmp(name, word, strlen(word)) && !keyword_given(args, n, name)) cand_add(c, "", 0, name, "=");
}

/* Keyword arguments for `word` when it starts an argument of a call:
 * `torch.cat(x, d` -> dim=. Returns how many were added. */
static int complete_keywords(Interp *in, Cands *c, const char *line, int start, const char *word) {
    LineState st = scan_line(line, start);
    if (st.quote || st.comment || st.open < 0 || line[st.open] != '(') return 0;
    int b = start;
    while (b > 0 && line[b - 1] == ' ') b--;
    if (b == 0 || (line[b - 1] != '(' && line[b - 1] != ',')) return 0;
    int e = st.open;
    while (e > 0 && line[e - 1] == ' ') e--;
    int s = e;
    while (s > 0 && (is_name_char(line[s - 1]) || line[s - 1] == '.')) s--;
    if (s == e || isdigit((unsigned char)line[s]) || line[e - 1] == '.') return 0;
    bool bound;
    Value *callee = resolve_path(in, line + s, (size_t)(e - s), &bound);
    if (!callee) return 0;
    ParamNames pn;
    int before = c->n;
    const char *args = line + st.open + 1;
    int nargs = start - st.open - 1;
    if (param_names_of(in, callee, bound, &pn)) {
        if (pn.table) {
            for (const char *p = pn.table; *p; p += strlen(p) + 1) cand_keyword(c, p, word, args, nargs);
        } else {
            const Params *p = pn.params;
            for (int i = p->n_posonly > pn.skip ? p->n_posonly : pn.skip; i < p->n; i++)
                cand_keyword(c, p->names[i], word, args, nargs);
            for (int i = 0; i < p->n_kwonly; i++) cand_keyword(c, p->kwonly_names[i], word, args, nargs);
        }
    }
    val_release(callee);
    return c->n - before;
}

/* ------------------------------------------------------------ candidates */

static void complete_attribute(Interp *in, Cands *c, const char *text, const char *dot) {
    size_t plen = (size_t)(dot - text) + 1;
    bool bound;
    Value *cur = resolve_path(in, text, plen - 1, &bound);
    if (!cur) return;
    const char *word = dot + 1;
    size_t wlen = strlen(word);
    if (cur->kind == VK_MODULE) {
        Dict *members = module_members(cur);
        if (members) cand_module(c, cur, members, text, plen, word);
        else tsr_err_clear();
    } else if (cur->kind == VK_TENSOR) {
        for (const Builtin *const *t = in->hooks.tensor_method_tables; t && *t; t++) cand_table(c, *t, text, plen, word);
        for (int i = 0; tensor_attr_names[i]; i++)
            if (!strncmp(tensor_attr_names[i], word, wlen)) cand_add(c, text, plen, tensor_attr_names[i], "");
    } else if (cur->kind == VK_NAMEDTUPLE) {
        for (int i = 0; i < cur->seq.nt->n; i++)
            if (!strncmp(cur->seq.nt->fields[i], word, wlen)) cand_add(c, text, plen, cur->seq.nt->fields[i], "");
    } else if (cur->kind == VK_INSTANCE || cur->kind == VK_CLASS) {
        /* what dir() lists, as Python's rlcompleter asks it (a module's
         * parameters and sub-modules included) */
        Value *dir = dict_get(in->builtins->dict, "dir");
        Value *names = dir ? call_function(in, dir, &(CallArgs){&cur, 1, NULL, NULL, 0}) : NULL;
        if (names && names->kind == VK_LIST)
            for (int64_t i = 0; i < names->seq.len; i++) {
                Value *k = names->seq.items[i];
                if (k->kind == VK_STR && !strncmp(k->str.s, word, wlen) && !(k->str.s[0] == '_' && word[0] != '_'))
                    cand_add(c, text, plen, k->str.s, "");
            }
        val_release(names);
        tsr_err_clear();
    }
    val_release(cur);
}

char **interp_complete(Interp *in, const char *line, int start, int end) {
    Cands c = {0};
    if (start < 0 || end < start) return NULL;
    char *text = strndup(line + start, (size_t)(end - start));
    if (!text) return NULL;
    tsr_err_clear();
    if (scan_line(line, start).quote) { /* a string's text: file names (the line editor's) */
        free(text);
        return NULL;
    }
    const char *dot = strrchr(text, '.');
    int n_keywords = 0;
    if (dot) {
        complete_attribute(in, &c, text, dot);
    } else {
        /* inside a call a parameter's name comes first; beside it only the
         * program's own names and the modules, so that `d` becomes `dim=`
         * rather than a list of every builtin starting with d */
        n_keywords = complete_keywords(in, &c, line, start, text);
        size_t wlen = strlen(text);
        if (!n_keywords)
            for (int i = 0; keywords[i]; i++)
                if (!strncmp(keywords[i], text, wlen)) cand_add(&c, "", 0, keywords[i], "");
        cand_dict(&c, in->globals->dict, "", 0, text, true, false);
        cand_dict(&c, in->prelude->dict, "", 0, text, true, n_keywords > 0);
        if (!n_keywords) cand_dict(&c, in->builtins->dict, "", 0, text, true, false);
    }
    free(text);
    tsr_err_clear();
    if (!c.n) {
        free(c.items);
        return NULL;
    }
    /* the keyword arguments first, in the function's order; then by name */
    qsort(c.items + n_keywords, (size_t)(c.n - n_keywords), sizeof(char *), cmp_str);
    c.items[c.n] = NULL;
    return c.items;
}
