/* stdlib_os.c: Python's `os` module, its file-system part: getcwd,
 * listdir, mkdir, makedirs, remove, rmdir, rename, environ, getenv and
 * the path constants; os.path is its own module (stdlib_os_path.c). Errors
 * are CPython's OSError subclasses with its "[Errno 2] ...: 'x'" text. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "stdlib_os.h"

extern char **environ;

Value *os_raise_errno(int e, const char *path, const char *path2) { return raise_os_error(e, path, path2); }

bool os_path_arg(const char *fn, Value *v, const char **out) {
    if (v->kind == VK_STR) {
        *out = v->str.s;
        return true;
    }
    if (fn)
        tsr_raise(ERR_TypeError, "%s: path should be string, bytes or os.PathLike, not %s", fn, val_type_name(v));
    else
        tsr_raise(ERR_TypeError, "expected str, bytes or os.PathLike object, not %s", val_type_name(v));
    return false;
}

static Value *os_getcwd(Value *self, const CallArgs *a) {
    if (!args_none("posix.getcwd", a)) return NULL;
    char *cwd = getcwd(NULL, 0);
    if (!cwd) return os_raise_errno(errno, ".", NULL);
    Value *r = val_cstr(cwd);
    free(cwd);
    return r;
}

/* the names in the directory, in the order the system gives them */
static Value *os_listdir(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("listdir", "path=");
    const char *path = ".";
    if (v_[0] && v_[0]->kind == VK_STR) {
        path = v_[0]->str.s;
    } else if (v_[0] && v_[0]->kind != VK_NONE) {
        tsr_raise(ERR_TypeError, "listdir: path should be string, bytes, os.PathLike, integer or None, not %s",
                  val_type_name(v_[0]));
        return NULL;
    }
    DIR *d = opendir(path);
    if (!d) return os_raise_errno(errno, path, NULL);
    Value *list = val_list_new(8);
    struct dirent *e;
    while (list && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!val_list_append_steal(list, val_cstr(e->d_name))) {
            val_release(list);
            list = NULL;
        }
    }
    closedir(d);
    return list;
}

static bool mode_arg(Value *v, mode_t *mode) {
    int64_t m = 0777;
    if (v && !val_as_int(v, &m)) return false;
    *mode = (mode_t)m;
    return true;
}

static Value *os_mkdir(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("mkdir", "path, mode=");
    const char *path;
    mode_t mode;
    if (!os_path_arg("mkdir", v_[0], &path) || !mode_arg(v_[1], &mode)) return NULL;
    if (mkdir(path, mode) != 0) return os_raise_errno(errno, path, NULL);
    return val_none();
}

static bool is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p: the parents first; a parent that appears meanwhile is fine */
static bool make_dirs(char *path, mode_t mode, bool exist_ok) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') path[--n] = 0;
    char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        *slash = 0;
        bool ok = is_dir(path) || make_dirs(path, mode, true);
        *slash = '/';
        if (!ok) return false;
    }
    if (mkdir(path, mode) == 0) return true;
    if (errno == EEXIST && exist_ok && is_dir(path)) return true;
    os_raise_errno(errno, path, NULL);
    return false;
}

static Value *os_makedirs(Value *self, const CallArgs *a) {
    ARGS(3);
    PARSE("makedirs", "name, mode=, exist_ok=");
    const char *path;
    mode_t mode;
    bool exist_ok = false;
    if (!os_path_arg(NULL, v_[0], &path) || !mode_arg(v_[1], &mode)) return NULL;
    if (v_[2]) {
        int t = val_truthy(v_[2]);
        if (t < 0) return NULL;
        exist_ok = t;
    }
    char *copy = tsr_strdup(path);
    if (!copy) return NULL;
    bool ok = make_dirs(copy, mode, exist_ok);
    free(copy);
    return ok ? val_none() : NULL;
}

/* remove, unlink, rmdir: one path, one system call */
static Value *one_path_call(const char *fn, const CallArgs *a, int (*call)(const char *)) {
    ARGS(1);
    if (!args_parse(a, 0, fn, "path", v_)) return NULL;
    const char *path;
    if (!os_path_arg(fn, v_[0], &path)) return NULL;
    if (call(path) != 0) return os_raise_errno(errno, path, NULL);
    return val_none();
}

static Value *os_remove(Value *self, const CallArgs *a) { return one_path_call("remove", a, unlink); }
static Value *os_unlink(Value *self, const CallArgs *a) { return one_path_call("unlink", a, unlink); }
static Value *os_rmdir(Value *self, const CallArgs *a) { return one_path_call("rmdir", a, rmdir); }

static Value *os_rename(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("rename", "src, dst");
    const char *src, *dst;
    if (!os_path_arg("rename", v_[0], &src) || !os_path_arg("rename", v_[1], &dst)) return NULL;
    if (rename(src, dst) != 0) return os_raise_errno(errno, src, dst);
    return val_none();
}

static Value *os_getpid(Value *self, const CallArgs *a) {
    return args_none("posix.getpid", a) ? val_int((int64_t)getpid()) : NULL;
}

static Value *os_getenv(Value *self, const CallArgs *a) {
    ARGS(2);
    PARSE("getenv", "key, default=");
    if (v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "str expected, not %s", val_type_name(v_[0]));
        return NULL;
    }
    const char *v = getenv(v_[0]->str.s);
    if (v) return val_cstr(v);
    return v_[1] ? val_retain(v_[1]) : val_none();
}

/* os.environ: a dict copied from the environment when os is imported */
static Value *environ_dict(void) {
    Value *d = val_dict_new();
    for (char **e = environ; d && e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        char *key = tsr_strndup(*e, (unsigned long long)(eq - *e));
        Value *v = val_cstr(eq + 1);
        bool ok = key && v && dict_set(d->dict, key, v);
        free(key);
        val_release(v);
        if (!ok) {
            val_release(d);
            return NULL;
        }
    }
    return d;
}

static const Builtin os_functions[] = {
    {"getcwd", os_getcwd}, {"listdir", os_listdir}, {"mkdir", os_mkdir},
    {"makedirs", os_makedirs}, {"remove", os_remove}, {"unlink", os_unlink},
    {"rmdir", os_rmdir}, {"rename", os_rename}, {"getenv", os_getenv},
    {"getpid", os_getpid},
    {NULL, NULL},
};

bool stdlib_os_open(Value *module) {
    static const char *const strs[][2] = {
        {"sep", "/"}, {"altsep", NULL}, {"extsep", "."}, {"pathsep", ":"}, {"linesep", "\n"},
        {"curdir", "."}, {"pardir", ".."}, {"devnull", "/dev/null"}, {"name", "posix"},
    };
    if (!module_install(module, os_functions)) return false;
    Dict *m = module->module.members;
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++) {
        Value *v = strs[i][1] ? val_cstr(strs[i][1]) : val_none();
        bool ok = v && dict_set(m, strs[i][0], v);
        val_release(v);
        if (!ok) return false;
    }
    Value *env = environ_dict();
    Value *path = env ? stdlib_import("os.path") : NULL;
    bool ok = path && dict_set(m, "environ", env) && dict_set(m, "path", path);
    val_release(env);
    val_release(path);
    return ok;
}
