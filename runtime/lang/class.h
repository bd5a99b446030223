/* class.h: the object model of user classes. A class is a VK_CLASS value
 * (name, base, attribute dict); `object` and CPython's built-in exception
 * classes are classes of the same kind, so a user class may derive from
 * them. Instances, bound methods, staticmethod/classmethod/property
 * wrappers and super objects are values too. */
#ifndef TSR_CLASS_H
#define TSR_CLASS_H

#include "value.h"

/* A new class; retains base (a CLASS, or NULL for object itself) and dict
 * (a VK_DICT, or NULL for an empty one). */
Value *class_new(const char *name, const char *module, Value *base, Value *dict);
/* A class whose attributes are the builtins of methods (ending with a
 * NULL name): a class written in C. */
Value *class_new_builtin(const char *name, const char *module, Value *base, const Builtin *methods);
/* A class of several bases (a TUPLE of at least two values): CPython's
 * type() checks (bases must be classes, no duplicate, one layout), the C3
 * linearisation of the bases' MROs and the best base; NULL with
 * CPython's TypeError raised. */
Value *class_new_bases(const char *name, const char *module, Value *bases, Value *dict);
/* A walk along a class's MRO, a loop over the stored tuples and base
 * pointers: mro_begin, then mro_step gives cls, then each class of its
 * __mro__ in order (borrowed), then NULL. */
typedef struct {
    const Value *next;  /* the class mro_step gives next (single-base chain) */
    const Value *tuple; /* a stored __mro__ tail being walked, or NULL */
    int64_t i;
} MroWalk;
void mro_begin(MroWalk *w, const Value *cls);
Value *mro_step(MroWalk *w);
/* cls.__mro__ (a new tuple), cls.__bases__ (a new tuple) */
Value *class_mro(const Value *cls);
Value *class_bases(const Value *cls);
/* The class attribute name, found along the MRO: borrowed, NULL (no
 * error) when absent. */
Value *class_lookup(const Value *cls, const char *name);
bool class_is_subclass(const Value *cls, const Value *base);
/* cls.__module__: the one its body holds, else the built-in's (borrowed). */
const char *class_module(const Value *cls);
/* type(v) when v is an instance (borrowed), else NULL. */
Value *instance_class(const Value *v);

/* `object` and the built-in exception classes (made by classes_init). */
extern Value *class_object;
Value *class_of_error(ErrKind kind); /* borrowed */
/* The OSError subclass CPython raises for errno e (exceptions.c). */
ErrKind os_error_kind(int e);
/* Raises OSError(e, strerror(e)[, path[, None, path2]]) as the errno's
 * subclass, CPython's "[Errno 2] No such file or directory: 'x'". Returns
 * NULL. */
Value *raise_os_error(int e, const char *path, const char *path2);
/* Creates them and binds their names in builtins. */
bool classes_init(Dict *builtins);
void classes_shutdown(void);

/* subclass.c: the bases `class D(dict)` and `class L(list)` get (a class
 * named dict or list whose methods work on inst.payload), NULL for other
 * types; the payload's own method name bound to it (d.keys), NULL (no
 * error) when it has none. */
Value *class_builtin_base(TypeId t);
Value *payload_method(Value *obj, const char *name);
/* subclasses of torch.Tensor and nn.Parameter (subclass.c): the class
 * holds a tensor payload; torch.Tensor._make_subclass(cls, data,
 * requires_grad); an instance turned into its tensor in place (its
 * __class__ set to torch.Tensor or nn.Parameter) */
bool class_is_tensor_subclass(const Value *cls);
Value *tensor_make_subclass(Value *cls, Tensor *data, bool requires_grad);
/* t.as_subclass(cls): an alias of t (AliasBackward0) as a cls; errors as
 * PyTorch's for a non-type or a class not derived from torch.Tensor */
Value *tensor_as_subclass(Tensor *t, Value *cls);
void tensor_instance_become(Value *obj, bool param);
/* an instance of a tensor subclass was made: calls check their arguments
 * for one (eval.c) */
extern bool tsr_tensor_subclass_used;
/* type(obj).__torch_function__(func, (type(obj),), a's arguments, a's
 * keywords) */
Value *tensor_torch_function_call(Value *func, Value *obj, const CallArgs *a);
/* the same with first put before a's arguments (a method's self) */
Value *tensor_torch_function_self(Value *func, Value *obj, Value *first, const CallArgs *a);
/* torch.Tensor's method m as a descriptor: <method 'add' of
 * 'torch._C._TensorBase' objects> */
Value *tensor_method_descriptor(const Builtin *m);
/* a method bound to self (fn called with self first) */
Value *bound_method_new(Value *fn, Value *self);
bool subclass_init(void);
void subclass_shutdown(void);

/* The class type(v) gives for a built-in value of this type name
 * (list_iterator, zip): one per name. */
Value *class_of_type_name(const char *name);
/* Calling a class: cls.__new__ (a new instance), then __init__. */
/* object.__new__(cls): an instance with an empty dict (and the empty dict
 * or list of a dict or list subclass; a str, int, float or tuple
 * subclass's payload is set by its __new__). */
Value *instance_new(Value *cls);
Value *class_call(Value *cls, const CallArgs *a);
/* a new class's __set_name__ calls: each attribute whose class defines it
 * is told its owner and name (PEP 487); false with the error raised */
bool class_set_names(Value *cls);
/* a new class's super().__init_subclass__() (PEP 487); false with the
 * error raised */
bool class_init_subclass(Value *cls);
/* A wrapper value (staticmethod(f), classmethod(f), property(fget, fset)). */
Value *wrapper_new(WrapperKind kind, Value *fn, Value *fset);
/* super(): lookups on it start after cls and bind to self. */
Value *super_new(Value *cls, Value *self);

/* Attributes of instances, classes and super objects. */
Value *object_getattr(Value *obj, const char *name);
bool object_setattr(Value *obj, const char *name, Value *v);
bool object_delattr(Value *obj, const char *name);

/* fn(self, *a): a method call. */
Value *call_with_self(Value *fn, Value *self, const CallArgs *a);
/* Calls the special method name of type(obj) with obj and args; *found is
 * false (and nothing raised) when the class has none. */
Value *special_call(Value *obj, const char *name, Value *const *args, int n, bool *found);

/* Operators on instances (eval_ops.c calls these when an operand is an
 * instance): the special method, then the reflected one of the other
 * operand; NotImplemented from either counts as absent. *handled is false
 * when neither operand defines one (the caller raises its TypeError). */
Value *instance_binary(const char *name, const char *rname, Value *a, Value *b, bool *handled);
/* The NotImplemented singleton. */
extern Value *not_implemented;

/* Iteration: iter(obj) for an instance; *by_index when obj has only
 * __getitem__ (the iterator is obj, indexed from 0). instance_next returns
 * the next item, or NULL with *done set at the end (StopIteration or, by
 * index, IndexError, cleared), or NULL on an error. */
Value *instance_iter(Value *obj, bool *by_index);
Value *instance_next(Value *it, bool by_index, int64_t index, bool *done);

/* repr(), str() of instances and classes. */
bool instance_repr_into(StrBuf *b, Value *v);
bool instance_str_into(StrBuf *b, Value *v);
bool class_repr_into(StrBuf *b, const Value *cls);
/* The class name as a traceback prints it (module omitted for __main__ and
 * builtins). */
const char *class_display_name(const Value *cls, char *buf, int size);

#endif
