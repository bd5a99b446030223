/* stdlib_os_path.c: Python's `os.path` (posixpath): join, split,
 * basename, dirname, splitext, normpath, abspath, isabs, and the stat-based
 * exists, isfile, isdir, getsize. The string functions follow posixpath's
 * code exactly, on UTF-8 bytes ('/' and '.' are single bytes). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "builtins_util.h"
#include "error.h"
#include "stdlib_os.h"

/* ---- strings */

static bool one_path(const char *fn, const CallArgs *a, const char **s, int64_t *len) {
    ARGS(1);
    if (!args_parse(a, 0, fn, "p", v_) || !os_path_arg(NULL, v_[0], s)) return false;
    *len = v_[0]->str.len;
    return true;
}

static int64_t last_slash(const char *s, int64_t len) {
    int64_t i = len - 1;
    while (i >= 0 && s[i] != '/') i--;
    return i;
}

/* the length of split(p)'s head: up to the last slash, trailing slashes
 * dropped unless it is all slashes */
static int64_t head_len(const char *s, int64_t len) {
    int64_t i = last_slash(s, len) + 1, h = i;
    while (h > 0 && s[h - 1] == '/') h--;
    return h ? h : i;
}

static Value *str_pair(const char *a, int64_t alen, const char *b, int64_t blen) {
    return pair_steal(val_str(a, alen), val_str(b, blen));
}

static Value *p_split(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    if (!one_path("split", a, &s, &len)) return NULL;
    int64_t tail = last_slash(s, len) + 1;
    return str_pair(s, head_len(s, len), s + tail, len - tail);
}

static Value *p_dirname(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    return one_path("dirname", a, &s, &len) ? val_str(s, head_len(s, len)) : NULL;
}

static Value *p_basename(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    if (!one_path("basename", a, &s, &len)) return NULL;
    int64_t tail = last_slash(s, len) + 1;
    return val_str(s + tail, len - tail);
}

/* the last dot after the last slash, unless the name is only dots before it */
static Value *p_splitext(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    if (!one_path("splitext", a, &s, &len)) return NULL;
    int64_t sep = last_slash(s, len), dot = len - 1;
    while (dot >= 0 && s[dot] != '.') dot--;
    if (dot > sep)
        for (int64_t i = sep + 1; i < dot; i++)
            if (s[i] != '.') return str_pair(s, dot, s + dot, len - dot);
    return str_pair(s, len, "", 0);
}

static Value *p_isabs(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    return one_path("isabs", a, &s, &len) ? val_bool(len > 0 && s[0] == '/') : NULL;
}

static Value *p_join(Value *self, const CallArgs *a) {
    if (a->nkw) {
        tsr_raise(ERR_TypeError, "join() got an unexpected keyword argument '%s'", a->kwnames[0]);
        return NULL;
    }
    if (a->nargs == 0) {
        tsr_raise(ERR_TypeError, "%s", "join() missing 1 required positional argument: 'a'");
        return NULL;
    }
    const char *first;
    if (!os_path_arg(NULL, a->args[0], &first)) return NULL;
    for (int i = 1; i < a->nargs; i++) {
        if (a->args[i]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "join() argument must be str, bytes, or os.PathLike object, not '%s'",
                      val_type_name(a->args[i]));
            return NULL;
        }
    }
    StrBuf b = {0};
    bool ok = sb_append(&b, first, a->args[0]->str.len);
    for (int i = 1; ok && i < a->nargs; i++) {
        Value *p = a->args[i];
        if (p->str.len && p->str.s[0] == '/') b.len = 0; /* an absolute part starts over */
        else if (b.len && b.data[b.len - 1] != '/') ok = sb_append(&b, "/", 1);
        ok = ok && sb_append(&b, p->str.s, p->str.len);
    }
    Value *r = ok ? val_str(b.data ? b.data : "", b.len) : NULL;
    free(b.data);
    return r;
}

/* posixpath.normpath: drops '' and '.' parts, folds 'x/..'; keeps one or
 * two leading slashes (three or more count as one) */
static Value *normpath(const char *s, int64_t len) {
    if (len == 0) return val_cstr(".");
    int slashes = s[0] == '/' ? (len > 1 && s[1] == '/' && !(len > 2 && s[2] == '/') ? 2 : 1) : 0;
    int64_t *start = tsr_malloc(sizeof(int64_t) * (size_t)(len + 1) * 2), n = 0;
    if (!start) return NULL;
    int64_t *plen = start + len + 1;
    for (int64_t i = 0; i <= len;) {
        int64_t j = i;
        while (j < len && s[j] != '/') j++;
        int64_t l = j - i;
        bool dotdot = l == 2 && s[i] == '.' && s[i + 1] == '.';
        bool last_dotdot = n && plen[n - 1] == 2 && !memcmp(s + start[n - 1], "..", 2);
        if (l == 0 || (l == 1 && s[i] == '.')) {
            /* skip */
        } else if (!dotdot || (!slashes && !n) || last_dotdot) {
            start[n] = i, plen[n] = l, n++;
        } else if (n) {
            n--;
        }
        i = j + 1;
    }
    StrBuf b = {0};
    bool ok = sb_append(&b, "//", slashes);
    for (int64_t k = 0; ok && k < n; k++) ok = (!k || sb_append(&b, "/", 1)) && sb_append(&b, s + start[k], plen[k]);
    Value *r = ok ? (b.len ? val_str(b.data, b.len) : val_cstr(".")) : NULL;
    free(start);
    free(b.data);
    return r;
}

static Value *p_normpath(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    return one_path("normpath", a, &s, &len) ? normpath(s, len) : NULL;
}

static Value *p_abspath(Value *self, const CallArgs *a) {
    const char *s;
    int64_t len;
    if (!one_path("abspath", a, &s, &len)) return NULL;
    if (len && s[0] == '/') return normpath(s, len);
    char *cwd = getcwd(NULL, 0);
    if (!cwd) return os_raise_errno(errno, ".", NULL);
    StrBuf b = {0};
    bool ok = sb_appends(&b, cwd) && (b.len && b.data[b.len - 1] == '/' ? true : sb_append(&b, "/", 1)) &&
              sb_append(&b, s, len);
    Value *r = ok ? normpath(b.data, b.len) : NULL;
    free(cwd);
    free(b.data);
    return r;
}

/* ---- the file system */

/* stat(p) (fstat for an int file descriptor): 0, or errno; -1 with a
 * TypeError raised for another type */
static int stat_of(const char *fn, const CallArgs *a, struct stat *st, const char **path) {
    ARGS(1);
    if (!args_parse(a, 0, fn, fn[0] == 'g' ? "filename" : "path", v_)) return -1;
    Value *v = v_[0];
    *path = v->kind == VK_STR ? v->str.s : "";
    if (v->kind == VK_INT) return fstat((int)v->i, st) == 0 ? 0 : errno;
    if (v->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "stat: path should be string, bytes, os.PathLike or integer, not %s",
                  val_type_name(v));
        return -1;
    }
    return stat(v->str.s, st) == 0 ? 0 : errno;
}

static Value *stat_test(const char *fn, const CallArgs *a, mode_t type) {
    struct stat st;
    const char *path;
    int e = stat_of(fn, a, &st, &path);
    if (e < 0) return NULL;
    return val_bool(e == 0 && (!type || (st.st_mode & S_IFMT) == type));
}

static Value *p_exists(Value *self, const CallArgs *a) { return stat_test("exists", a, 0); }
static Value *p_isfile(Value *self, const CallArgs *a) { return stat_test("isfile", a, S_IFREG); }
static Value *p_isdir(Value *self, const CallArgs *a) { return stat_test("isdir", a, S_IFDIR); }

static Value *p_getsize(Value *self, const CallArgs *a) {
    struct stat st;
    const char *path;
    int e = stat_of("getsize", a, &st, &path);
    if (e < 0) return NULL;
    if (e > 0) return os_raise_errno(e, path, NULL);
    return val_int((int64_t)st.st_size);
}

static const Builtin os_path_functions[] = {
    {"join", p_join},         {"split", p_split},       {"basename", p_basename},
    {"dirname", p_dirname},   {"splitext", p_splitext}, {"isabs", p_isabs},
    {"normpath", p_normpath}, {"abspath", p_abspath},   {"exists", p_exists},
    {"isfile", p_isfile},     {"isdir", p_isdir},       {"getsize", p_getsize},
    {NULL, NULL},
};

bool stdlib_os_path_open(Value *module) {
    /* CPython's os.path is its posixpath module, and prints under that name */
    char *name = tsr_strdup("posixpath");
    if (!name) return false;
    free(module->module.name);
    module->module.name = name;
    Value *sep = val_cstr("/");
    bool ok = sep && module_install(module, os_path_functions) && dict_set(module->module.members, "sep", sep);
    val_release(sep);
    return ok;
}
