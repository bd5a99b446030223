/* python_dir.c: dir() as CPython 3.11's (Objects/object.c _dir_locals,
 * _dir_object; type___dir__ for classes; module___dir__), sorted.
 *   dir()            the running function's locals; at module level the
 *                    program's names and what `from torch import *` bound
 *                    (the prelude's names: tsr's, not all of PyTorch's)
 *   dir(obj)         a class's __dir__ when it defines one; an instance:
 *                    its __dict__, its class's and its bases' attributes,
 *                    then the built-in base's names (object's dunders);
 *                    Python's built-in values: CPython's own lists
 *                    (python_dir_names.h); a module: its members and the
 *                    names every module has; a tensor: the methods and
 *                    attributes tsr has (not PyTorch's whole list). */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "builtins_util.h"
#include "class.h"
#include "error.h"
#include "interp_internal.h"
#include "python_dir_names.h"

/* a "a\0b\0\0" list of python_dir_names.h */
static void names_packed(Names *l, const char *p) {
    for (; *p; p += strlen(p) + 1) names_add(l, p);
}

static const char *packed_names(const char *type_name) {
#define X(name, list) if (!strcmp(type_name, #name)) return list;
    PYTHON_DIR_NAMES(X)
#undef X
    return NULL;
}

/* sorted(set(names)) as a list of str */
static Value *names_list(Names *l) {
    if (l->failed) {
        free(l->items);
        tsr_raise(ERR_MemoryError, "%s", "");
        return NULL;
    }
    if (l->n) qsort(l->items, (size_t)l->n, sizeof *l->items, cmp_names);
    Value *out = val_list_new(l->n);
    for (int64_t i = 0; out && i < l->n; i++) {
        if (i && !strcmp(l->items[i], l->items[i - 1])) continue;
        if (!val_list_append_steal(out, val_cstr(l->items[i]))) {
            val_release(out);
            out = NULL;
        }
    }
    free(l->items);
    return out;
}

/* a class's attributes along its bases, then its built-in base's names */
static void names_class(Names *l, const Value *cls) {
    const char *base = NULL;
    MroWalk w;
    mro_begin(&w, cls);
    for (const Value *k; (k = mro_step(&w));) {
        if (k == class_object) continue;
        if (k->cls->err && class_of_error(k->cls->err) == k) {
            if (!base) base = "BaseException";
            continue;
        }
        if (k == class_builtin_base(T_DICT) || k == class_builtin_base(T_LIST)) {
            if (!base) base = k == class_builtin_base(T_DICT) ? "dict" : "list";
            continue;
        }
        int64_t it = 0;
        const char *key;
        Value *v;
        while (dict_next(k->cls->dict->dict, &it, &key, &v))
            if (strcmp(key, "__qualname__")) names_add(l, key);
        /* what every class statement's namespace gets */
        names_add(l, "__module__");
        names_add(l, "__doc__");
        names_add(l, "__dict__");
        names_add(l, "__weakref__");
    }
    names_packed(l, packed_names(base ? base : "object"));
}

static Value *dir_frame(void) {
    Names l = {0};
    Frame *f = tsr_interp->frame;
    if (f && f->locals) {
        names_of_dict(&l, f->locals->dict);
    } else {
        names_of_dict(&l, f && f->globals ? f->globals : tsr_interp->globals->dict);
        if (!f || !f->globals) names_of_dict(&l, tsr_interp->prelude->dict);
    }
    return names_list(&l);
}

/* the result of obj.__dir__(), sorted */
static Value *dir_custom(Value *fn) {
    Value *r = call_function(tsr_interp, fn, &(CallArgs){NULL, 0, NULL, NULL, 0});
    if (!r) return NULL;
    Value *sorted = dict_get(tsr_interp->builtins->dict, "sorted");
    Value *out = sorted ? call_function(tsr_interp, sorted, &(CallArgs){&r, 1, NULL, NULL, 0}) : NULL;
    val_release(r);
    return out;
}

Value *py_dir(Value *self, const CallArgs *a) {
    ARGS(1);
    PARSE("dir", "object=");
    Value *obj = v_[0];
    if (!obj) return dir_frame();
    Names l = {0};
    switch (obj->kind) {
    case VK_INSTANCE:
    case VK_CLASS: {
        Value *cls = obj->kind == VK_CLASS ? obj : instance_class(obj);
        Value *custom = obj->kind == VK_INSTANCE ? class_lookup(cls, "__dir__") : NULL;
        if (custom && custom->kind == VK_FUNCTION) {
            Value *bound = object_getattr(obj, "__dir__");
            if (!bound) return NULL;
            Value *r = dir_custom(bound);
            val_release(bound);
            return r;
        }
        if (obj->kind == VK_INSTANCE && obj->inst.dict) names_of_dict(&l, obj->inst.dict->dict);
        names_class(&l, cls);
        return names_list(&l);
    }
    case VK_MODULE: {
        Dict *members = module_members(obj);
        if (!members) return NULL;
        names_of_dict(&l, members);
        names_packed(&l, packed_names("module"));
        return names_list(&l);
    }
    case VK_TENSOR:
        for (const Builtin *const *t = tensor_method_tables; *t; t++)
            for (const Builtin *b = *t; b->name; b++)
                if (b->name[0]) names_add(&l, b->name);
        for (int i = 0; tensor_attr_names[i]; i++) names_add(&l, tensor_attr_names[i]);
        names_packed(&l, packed_names("object"));
        return names_list(&l);
    case VK_TYPE: {
        const char *p = packed_names(type_object_name(obj->type));
        names_packed(&l, p ? p : packed_names("object"));
        return names_list(&l);
    }
    case VK_FUNCTION:
        if (obj->fn->attrs) names_of_dict(&l, obj->fn->attrs->dict);
        names_packed(&l, packed_names("function"));
        return names_list(&l);
    default: {
        const char *p = packed_names(val_type_name(obj));
        names_packed(&l, p ? p : packed_names("object"));
        return names_list(&l);
    }
    }
}
