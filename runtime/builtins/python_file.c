/* python_file.c: open() and text files: read, readline, readlines, write,
 * writelines, close, flush, with-blocks and iteration over lines, with
 * CPython's errors ("[Errno 2] No such file or directory: 'x'", "I/O
 * operation on closed file."). Text files are UTF-8; a binary mode ('rb',
 * 'wb', ...) reads bytes and writes bytes-like values. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "bytes.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"

Value *py_open(Value *self, const CallArgs *a) {
    ARGS(4);
    PARSE("open", "file, mode=, buffering=, encoding=");
    if (v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "expected str, bytes or os.PathLike object, not %s", val_type_name(v_[0]));
        return NULL;
    }
    const char *mode = "r";
    if (v_[1]) {
        if (v_[1]->kind != VK_STR) {
            tsr_raise(ERR_TypeError, "open() argument 'mode' must be str, not %s", val_type_name(v_[1]));
            return NULL;
        }
        mode = v_[1]->str.s;
    }
    /* CPython's _io.open checks, in its order */
    int kind = 0, kinds = 0, plus = 0, text = 0, binary = 0, bad = 0;
    for (const char *m = mode; *m; m++) {
        if (!strchr("rwxabt+", *m) || strchr(m + 1, *m)) bad = 1; /* unknown or repeated */
        switch (*m) {
        case 'r': case 'w': case 'a': case 'x': kind = *m; kinds++; break;
        case '+': plus = 1; break;
        case 't': text = 1; break;
        case 'b': binary = 1; break;
        default: break;
        }
    }
    const char *why = bad ? NULL
                      : text && binary ? "can't have text and binary mode at once"
                      : kinds > 1      ? "must have exactly one of create/read/write/append mode"
                      : !kinds         ? "Must have exactly one of create/read/write/append mode and at most one plus"
                                       : NULL;
    if (bad) {
        tsr_raise(ERR_ValueError, "invalid mode: '%s'", mode);
        return NULL;
    }
    if (why) {
        tsr_raise(ERR_ValueError, "%s", why);
        return NULL;
    }
    if (binary && v_[3] && v_[3]->kind != VK_NONE) {
        tsr_raise(ERR_ValueError, "%s", "binary mode doesn't take an encoding argument");
        return NULL;
    }
    const char *path = v_[0]->str.s;
    char cmode[4] = {kind == 'x' ? 'w' : (char)kind, plus ? '+' : 0, 0};
    if (kind == 'x') {
        FILE *probe = fopen(path, "r");
        if (probe) {
            fclose(probe);
            raise_os_error(EEXIST, path, NULL);
            return NULL;
        }
    }
    FILE *fp = fopen(path, cmode);
    if (!fp) {
        raise_os_error(errno, path, NULL);
        return NULL;
    }
    Value *v = tsr_calloc(1, sizeof *v);
    PyFile *f = v ? tsr_calloc(1, sizeof *f) : NULL;
    char *name = f ? tsr_strdup(path) : NULL;
    if (!name) {
        fclose(fp);
        free(f);
        free(v);
        return NULL;
    }
    v->kind = VK_FILE;
    v->rc = 1;
    v->file = f;
    f->fp = fp;
    f->name = name;
    snprintf(f->mode, sizeof f->mode, "%s", mode);
    f->readable = kind == 'r' || plus;
    f->writable = kind != 'r' || plus;
    f->binary = binary;
    return v;
}

/* A binary file closed: the message of its operation op, as io's
 * Buffered* classes word them */
static void closed_binary(const char *op) {
    if (!strcmp(op, "write")) tsr_raise(ERR_ValueError, "%s", "write to closed file");
    else if (!strcmp(op, "read") || !strcmp(op, "readline") || !strcmp(op, "flush"))
        tsr_raise(ERR_ValueError, "%s of closed file", op);
    else tsr_raise(ERR_ValueError, "%s", "I/O operation on closed file.");
}

/* The open FILE * for an operation op (read, readline, readlines, write,
 * writelines), or NULL with CPython's error: a binary file's read,
 * readline and write check the mode before the closing, the others the
 * closing first. */
static FILE *usable(Value *self, bool write, const char *op) {
    PyFile *f = self->file;
    bool allowed = write ? f->writable : f->readable;
    if (f->binary && !allowed && strcmp(op, "readlines") && strcmp(op, "writelines")) {
        tsr_raise(ERR_UnsupportedOperation, "%s", write ? "write" : "read");
        return NULL;
    }
    if (!f->fp) {
        if (f->binary) closed_binary(op);
        else tsr_raise(ERR_ValueError, "%s", "I/O operation on closed file.");
        return NULL;
    }
    if (!allowed) {
        tsr_raise(ERR_UnsupportedOperation, "%s",
                  f->binary ? (write ? "write" : "read") : write ? "not writable" : "not readable");
        return NULL;
    }
    return f->fp;
}

/* Reads up to n characters (n < 0: to the end), or one line when line. */
static Value *read_text(FILE *fp, int64_t n, bool line) {
    StrBuf b = {0};
    int64_t chars = 0;
    int c;
    while ((n < 0 || chars < n) && (c = fgetc(fp)) != EOF) {
        char ch = (char)c;
        if (!sb_append(&b, &ch, 1)) {
            free(b.data);
            return NULL;
        }
        if ((c & 0xc0) != 0x80) chars++;
        /* finish a UTF-8 sequence before counting the next character */
        if (line && c == '\n') break;
    }
    while (n >= 0 && chars == n) { /* trailing continuation bytes of the last character */
        c = fgetc(fp);
        if (c == EOF) break;
        if ((c & 0xc0) != 0x80) {
            ungetc(c, fp);
            break;
        }
        char ch = (char)c;
        if (!sb_append(&b, &ch, 1)) {
            free(b.data);
            return NULL;
        }
    }
    return b.data ? val_str_steal(b.data, b.len) : val_str("", 0);
}

/* A binary file's read: up to n bytes (n < 0: to the end), or one line. */
static Value *read_bytes(FILE *fp, int64_t n, bool line) {
    StrBuf b = {0};
    int c;
    bool ok = sb_append(&b, "", 0);
    for (int64_t k = 0; ok && (n < 0 || k < n) && (c = fgetc(fp)) != EOF; k++) {
        char ch = (char)c;
        ok = sb_append(&b, &ch, 1);
        if (line && c == '\n') break;
    }
    if (!ok) {
        free(b.data);
        return NULL;
    }
    return val_bytes_steal(VK_BYTES, (unsigned char *)b.data, b.len);
}

static Value *read_any(Value *self, FILE *fp, int64_t n, bool line) {
    return self->file->binary ? read_bytes(fp, n, line) : read_text(fp, n, line);
}

static bool size_arg(Value *v, int64_t *n) {
    *n = -1;
    return !v || v->kind == VK_NONE || val_as_int(v, n);
}

static Value *file_read(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("read", "size=");
    int64_t n;
    FILE *fp = usable(self, false, "read");
    return fp && size_arg(v_[0], &n) ? read_any(self, fp, n, false) : NULL;
}

static Value *file_readline(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("readline", "size=");
    int64_t n;
    FILE *fp = usable(self, false, "readline");
    return fp && size_arg(v_[0], &n) ? read_any(self, fp, n, true) : NULL;
}

Value *file_lines(Value *file) {
    FILE *fp = usable(file, false, "readlines");
    if (!fp) return NULL;
    Value *out = val_list_new(0);
    while (out) {
        Value *line = read_any(file, fp, -1, true);
        if (!line || !(line->kind == VK_STR ? line->str.len : line->bytes.len)) {
            if (!line) {
                val_release(out);
                out = NULL;
            }
            val_release(line);
            break;
        }
        if (!val_list_append_steal(out, line)) {
            val_release(out);
            out = NULL;
        }
    }
    return out;
}

static Value *file_readlines(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("readlines", "hint=");
    return file_lines(self);
}

static Value *file_write(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("write", "s");
    if (!self->file->binary && v_[0]->kind != VK_STR) { /* a text file checks the type first */
        tsr_raise(ERR_TypeError, "write() argument must be str, not %s", val_type_name(v_[0]));
        return NULL;
    }
    FILE *fp = usable(self, true, "write");
    if (!fp) return NULL;
    if (self->file->binary) {
        const unsigned char *s;
        int64_t n;
        if (!bytes_buffer(v_[0], &s, &n)) {
            tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(v_[0]));
            return NULL;
        }
        fwrite(s, 1, (size_t)n, fp);
        return val_int(n);
    }
    if (v_[0]->kind != VK_STR) {
        tsr_raise(ERR_TypeError, "write() argument must be str, not %s", val_type_name(v_[0]));
        return NULL;
    }
    fwrite(v_[0]->str.s, 1, (size_t)v_[0]->str.len, fp);
    return val_int(utf8_len(v_[0]->str.s, v_[0]->str.len));
}

static Value *file_writelines(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("writelines", "lines");
    FILE *fp = usable(self, true, "writelines");
    Value *items = fp ? iterate_to_list(v_[0]) : NULL;
    if (!items) return NULL;
    for (int64_t i = 0; i < items->seq.len; i++) {
        Value *s = items->seq.items[i];
        const unsigned char *bs;
        int64_t bn;
        if (self->file->binary && bytes_buffer(s, &bs, &bn)) {
            fwrite(bs, 1, (size_t)bn, fp);
            continue;
        }
        if (self->file->binary || s->kind != VK_STR) {
            if (self->file->binary) {
                tsr_raise(ERR_TypeError, "a bytes-like object is required, not '%s'", val_type_name(s));
                val_release(items);
                return NULL;
            }
            tsr_raise(ERR_TypeError, "write() argument must be str, not %s", val_type_name(s));
            val_release(items);
            return NULL;
        }
        fwrite(s->str.s, 1, (size_t)s->str.len, fp);
    }
    val_release(items);
    return val_none();
}

static Value *file_close(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("close", "");
    if (self->file->fp) fclose(self->file->fp);
    self->file->fp = NULL;
    return val_none();
}

static Value *file_flush(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("flush", "");
    if (!self->file->fp) {
        if (self->file->binary && self->file->writable) closed_binary("flush");
        else tsr_raise(ERR_ValueError, "%s", "I/O operation on closed file.");
        return NULL;
    }
    fflush(self->file->fp);
    return val_none();
}

static Value *file_enter(Value *self, const CallArgs *a) {
    if (!self->file->fp) {
        tsr_raise(ERR_ValueError, "%s", "I/O operation on closed file.");
        return NULL;
    }
    return val_retain(self);
}

static Value *file_exit(Value *self, const CallArgs *a) {
    if (self->file->fp) fclose(self->file->fp);
    self->file->fp = NULL;
    return val_none();
}

const Builtin file_methods[] = {
    {"read", file_read},   {"readline", file_readline}, {"readlines", file_readlines}, {"write", file_write},
    {"writelines", file_writelines}, {"close", file_close}, {"flush", file_flush},
    {"__enter__", file_enter}, {"__exit__", file_exit}, {NULL, NULL}};

/* f.closed, f.name, f.mode */
Value *file_getattr(Value *self, const char *name) {
    if (!strcmp(name, "closed")) return val_bool(self->file->fp == NULL);
    if (!strcmp(name, "name")) return val_cstr(self->file->name);
    if (!strcmp(name, "mode")) return val_cstr(self->file->mode);
    if (!strcmp(name, "encoding")) return val_cstr("UTF-8");
    return NULL;
}

/* input([prompt]): one line of standard input, without its newline */
Value *py_input(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("input", "prompt=");
    if (v_[0]) {
        Value *s = val_str_of(v_[0]);
        if (!s) return NULL;
        bool ok = tsr_write_stdout(s->str.s, s->str.len);
        val_release(s);
        if (!ok) return NULL;
    }
    if (!tsr_flush_stdout()) return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        if (tsr_check_interrupt()) return NULL;
        tsr_raise(ERR_EOFError, "%s", "EOF when reading a line");
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n') n--;
    Value *r = val_str(line, n);
    free(line);
    return r;
}
