/* test_builtins.c: the torch builtins called through their tables with
 * CallArgs built in C. Expected values come from PyTorch 1.13. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "device.h"
#include "builtins.h"
#include "error.h"
#include "modules.h"
#include "value.h"

/* ---- helpers */

static const Builtin *find_fn(const char *name) {
    static const Builtin *const tables[] = {
#define X(stem) stem##_functions,
        BUILTIN_TABLES(X)
#undef X
    };
    for (size_t k = 0; k < sizeof tables / sizeof *tables; k++)
        for (const Builtin *b = tables[k]; b->name; b++)
            if (!strcmp(b->name, name)) return b;
    return NULL;
}

/* Calls torch.NAME(args..., kw=...) / self.NAME(...). Steals every value
 * in args and kwvals. */
static Value *call(Value *self, const char *name, int nargs, Value **args, int nkw,
                   const char **kwnames, Value **kwvals) {
    const Builtin *b = self ? tensor_method_lookup(name) : find_fn(name);
    assert_non_null(b);
    CallArgs a = {args, nargs, kwnames, kwvals, nkw};
    tsr_err_clear();
    Value *r = b->fn(self, &a);
    for (int i = 0; i < nargs; i++) val_release(args[i]);
    for (int i = 0; i < nkw; i++) val_release(kwvals[i]);
    return r;
}

static Value *call0(Value *self, const char *name) { return call(self, name, 0, NULL, 0, NULL, NULL); }
static Value *call1(Value *self, const char *name, Value *a0) {
    Value *args[] = {a0};
    return call(self, name, 1, args, 0, NULL, NULL);
}
static Value *call2(Value *self, const char *name, Value *a0, Value *a1) {
    Value *args[] = {a0, a1};
    return call(self, name, 2, args, 0, NULL, NULL);
}

static Value *ilist(int n, const int64_t *xs) {
    Value *l = val_list_new(n);
    for (int i = 0; i < n; i++) val_list_append_steal(l, val_int(xs[i]));
    return l;
}

static Value *list_of(int n, ...) { /* steals the items */
    va_list ap;
    va_start(ap, n);
    Value *l = val_list_new(n);
    for (int i = 0; i < n; i++) val_list_append_steal(l, va_arg(ap, Value *));
    va_end(ap);
    return l;
}

static void expect_error(Value *r, ErrKind kind, const char *msg) {
    assert_null(r);
    assert_int_equal(tsr_err_kind(), kind);
    assert_string_equal(tsr_err_msg(), msg);
    tsr_err_clear();
}

/* A CUDA request: works with a device (a GPU or the emulated one); without
 * one it raises what PyTorch raises for this kind of build. */
static void expect_cuda(Value *r) {
    if (device_cuda_state() == CUDA_READY) {
        assert_non_null(r);
        assert_true(r->tensor->storage->device.type == DEV_CUDA);
        val_release(r);
        return;
    }
    assert_null(r);
    if (device_cuda_build() == 'n') {
        assert_int_equal(tsr_err_kind(), ERR_AssertionError);
        assert_string_equal(tsr_err_msg(), "Torch not compiled with CUDA enabled");
    } else {
        assert_int_equal(tsr_err_kind(), ERR_RuntimeError);
    }
    tsr_err_clear();
}

static void expect_shape(Tensor *t, int ndim, const int64_t *shape) {
    assert_int_equal(t->ndim, ndim);
    for (int i = 0; i < ndim; i++) assert_int_equal(t->shape[i], shape[i]);
}

/* ---- torch.tensor(data) */

static void test_tensor_infer_int(void **state) {
    int64_t r0[] = {1, 2}, r1[] = {3, 4};
    Value *t = call1(NULL, "tensor", list_of(2, ilist(2, r0), ilist(2, r1)));
    assert_non_null(t);
    assert_int_equal(t->tensor->dtype, DT_INT64);
    int64_t shape[] = {2, 2};
    expect_shape(t->tensor, 2, shape);
    for (int i = 0; i < 4; i++) assert_int_equal(tensor_get_i64(t->tensor, i), i + 1);
    val_release(t);
}

static void test_tensor_infer_mixed(void **state) {
    /* torch.tensor([1, 2.5, True]) -> tensor([1.0000, 2.5000, 1.0000]) */
    Value *t = call1(NULL, "tensor", list_of(3, val_int(1), val_float(2.5), val_bool(true)));
    assert_non_null(t);
    assert_int_equal(t->tensor->dtype, DT_FLOAT32);
    assert_true(tensor_get_f64(t->tensor, 0) == 1.0);
    assert_true(tensor_get_f64(t->tensor, 1) == 2.5);
    assert_true(tensor_get_f64(t->tensor, 2) == 1.0);
    val_release(t);
    /* torch.tensor([True, 1]) -> tensor([1, 1]) (int64) */
    t = call1(NULL, "tensor", list_of(2, val_bool(true), val_int(1)));
    assert_int_equal(t->tensor->dtype, DT_INT64);
    val_release(t);
    t = call1(NULL, "tensor", list_of(2, val_bool(true), val_bool(false)));
    assert_int_equal(t->tensor->dtype, DT_BOOL);
    assert_int_equal(tensor_get_i64(t->tensor, 1), 0);
    val_release(t);
    /* torch.tensor([torch.tensor([1.]), torch.tensor(2, dtype=torch.float64)]):
     * one-element tensors are scalars; dtype float64 */
    Value *e1 = call1(NULL, "tensor", list_of(1, val_float(1.0)));
    Value *e2args[] = {val_int(2)};
    const char *kw[] = {"dtype"};
    Value *kv[] = {val_dtype(DT_FLOAT64)};
    Value *e2 = call(NULL, "tensor", 1, e2args, 1, kw, kv);
    t = call1(NULL, "tensor", list_of(2, e1, e2));
    assert_non_null(t);
    assert_int_equal(t->tensor->ndim, 1);
    assert_int_equal(t->tensor->shape[0], 2);
    assert_int_equal(t->tensor->dtype, DT_FLOAT64);
    assert_true(tensor_get_f64(t->tensor, 1) == 2.0);
    val_release(t);
    /* scalar -> 0-dim */
    t = call1(NULL, "tensor", val_float(4.14));
    assert_int_equal(t->tensor->ndim, 0);
    assert_int_equal(t->tensor->dtype, DT_FLOAT32);
    val_release(t);
}

static void test_tensor_empty_lists(void **state) {
    Value *t = call1(NULL, "tensor", val_list_new(0));
    assert_non_null(t);
    assert_int_equal(t->tensor->dtype, DT_FLOAT32);
    int64_t s0[] = {0};
    expect_shape(t->tensor, 1, s0);
    val_release(t);
    /* torch.tensor([[], []]) -> size=(2, 0) */
    t = call1(NULL, "tensor", list_of(2, val_list_new(0), val_list_new(0)));
    int64_t s1[] = {2, 0};
    expect_shape(t->tensor, 2, s1);
    val_release(t);
}

static void test_tensor_errors(void **state) {
    int64_t r0[] = {1, 2}, r1[] = {3, 4, 5};
    Value *r = call1(NULL, "tensor", list_of(2, ilist(2, r0), ilist(3, r1)));
    expect_error(r, ERR_ValueError, "expected sequence of length 2 at dim 1 (got 3)");
    r = call1(NULL, "tensor", val_cstr("a"));
    expect_error(r, ERR_TypeError, "new(): invalid data type 'str'");
    r = call1(NULL, "tensor", val_none());
    expect_error(r, ERR_RuntimeError, "Could not infer dtype of NoneType");
    /* torch.tensor([[1], 2]) */
    int64_t one[] = {1};
    r = call1(NULL, "tensor", list_of(2, ilist(1, one), val_int(2)));
    expect_error(r, ERR_TypeError, "not a sequence");
    /* a list of multi-element tensors */
    Value *big = call1(NULL, "tensor", ilist(2, r0));
    r = call1(NULL, "tensor", list_of(2, val_retain(big), big));
    expect_error(r, ERR_ValueError, "only one element tensors can be converted to Python scalars");
    /* requires_grad on an int tensor */
    Value *args[] = {ilist(2, r0)};
    const char *kw[] = {"requires_grad"};
    Value *kv[] = {val_bool(true)};
    r = call(NULL, "tensor", 1, args, 1, kw, kv);
    expect_error(r, ERR_RuntimeError,
                 "Only Tensors of floating point and complex dtype can require gradients");
}

static void test_tensor_dtype_kw(void **state) {
    int64_t r0[] = {1, 2};
    Value *args[] = {ilist(2, r0)};
    const char *kw[] = {"dtype", "requires_grad"};
    Value *kv[] = {val_dtype(DT_FLOAT64), val_bool(true)};
    Value *t = call(NULL, "tensor", 1, args, 2, kw, kv);
    assert_non_null(t);
    assert_int_equal(t->tensor->dtype, DT_FLOAT64);
    assert_true(t->tensor->requires_grad);
    val_release(t);
}

/* ---- item / tolist */

static void test_item_tolist(void **state) {
    Value *t = call1(NULL, "tensor", val_int(3));
    Value *it = call0(t, "item");
    assert_non_null(it);
    assert_int_equal(it->kind, VK_INT);
    assert_int_equal(it->i, 3);
    val_release(it);
    val_release(t);

    t = call1(NULL, "tensor", list_of(2, val_float(1.5), val_int(2)));
    Value *l = call0(t, "tolist");
    assert_non_null(l);
    assert_int_equal(l->kind, VK_LIST);
    assert_int_equal(l->seq.len, 2);
    assert_int_equal(l->seq.items[0]->kind, VK_FLOAT);
    assert_true(l->seq.items[0]->f == 1.5);
    assert_true(l->seq.items[1]->f == 2.0);
    val_release(l);
    /* more than one element */
    expect_error(call0(t, "item"), ERR_ValueError,
                 "only one element tensors can be converted to Python scalars");
    expect_error(call1(t, "item", val_int(3)), ERR_TypeError,
                 "_TensorBase.item() takes no arguments (1 given)");
    val_release(t);

    t = call1(NULL, "tensor", list_of(1, val_bool(true)));
    it = call0(t, "item");
    assert_int_equal(it->kind, VK_BOOL);
    assert_true(it->b);
    val_release(it);
    val_release(t);
}

/* ---- args_parse */

static void test_args_parse(void **state) {
    Value *one = val_int(1), *two = val_int(2);
    Value *args[] = {one, two, one, two};
    Value *out[4];
    CallArgs a = {args, 4, NULL, NULL, 0};
    assert_false(args_parse(&a, 0, "sum", "input, dim=, keepdim=, *, dtype=", out));
    assert_string_equal(tsr_err_msg(), "sum() takes from 1 to 3 positional arguments but 4 were given");
    assert_int_equal(tsr_err_kind(), ERR_TypeError);

    a.nargs = 2;
    assert_true(args_parse(&a, 0, "sum", "input, dim=, keepdim=, *, dtype=", out));
    assert_ptr_equal(out[0], one);
    assert_ptr_equal(out[1], two);
    assert_null(out[2]);
    assert_null(out[3]);

    const char *kw[] = {"dimm"};
    Value *kv[] = {one};
    CallArgs b = {args, 1, kw, kv, 1};
    assert_false(args_parse(&b, 0, "sum", "input, dim=, keepdim=, *, dtype=", out));
    assert_string_equal(tsr_err_msg(), "sum() got an unexpected keyword argument 'dimm'");

    const char *kw2[] = {"dim"};
    CallArgs c = {args, 2, kw2, kv, 1};
    assert_false(args_parse(&c, 0, "sum", "input, dim=, keepdim=, *, dtype=", out));
    assert_string_equal(tsr_err_msg(), "sum() got multiple values for argument 'dim'");

    CallArgs d = {args, 0, NULL, NULL, 0};
    assert_false(args_parse(&d, 0, "sum", "input, dim=", out));
    assert_string_equal(tsr_err_msg(), "sum() missing 1 required positional argument: 'input'");
    assert_false(args_parse(&d, 0, "lerp", "input, end, weight", out));
    assert_string_equal(tsr_err_msg(),
                        "lerp() missing 3 required positional arguments: 'input', 'end', and 'weight'");

    CallArgs e = {args, 3, kw2, kv, 1}; /* varargs consumed: zeros(1, 2, 1, dim=1) */
    assert_true(args_parse(&e, 3, "zeros", "*, dim=", out));
    assert_ptr_equal(out[0], one);

    CallArgs f = {args, 2, NULL, NULL, 0};
    assert_false(args_parse(&f, 0, "t", "input", out));
    assert_string_equal(tsr_err_msg(), "t() takes 1 positional argument but 2 were given");
    tsr_err_clear();
    val_release(one);
    val_release(two);
}

static void test_conversions(void **state) {
    int64_t i;
    double d;
    DType dt;
    Device dev;
    Value *f = val_float(2.5);
    assert_false(val_as_int(f, &i));
    assert_string_equal(tsr_err_msg(), "'float' object cannot be interpreted as an integer");
    assert_true(val_as_double(f, &d));
    assert_true(d == 2.5);
    Value *s = val_cstr("cuda:1");
    assert_true(val_as_device(s, &dev));
    assert_int_equal(dev.type, DEV_CUDA);
    assert_int_equal(dev.index, 1);
    val_release(s);
    s = val_cstr("foo");
    assert_false(val_as_device(s, &dev));
    assert_int_equal(tsr_err_kind(), ERR_RuntimeError);
    val_release(s);
    Value *ty = val_type(T_FLOAT);
    assert_true(val_as_dtype(ty, &dt));
    assert_int_equal(dt, DT_FLOAT64);
    val_release(ty);
    /* zeros(2, 'a') */
    Value *args[] = {val_int(2), val_cstr("a")};
    int64_t shape[TSR_MAX_DIMS];
    int nd;
    assert_false(val_as_shape(args, 2, shape, &nd, "zeros"));
    assert_string_equal(tsr_err_msg(),
                        "zeros(): argument 'size' must be tuple of SymInts, but found element of type str at pos 2");
    assert_false(val_as_shape(&f, 1, shape, &nd, "zeros"));
    assert_string_equal(tsr_err_msg(),
                        "zeros(): argument 'size' (position 1) must be tuple of SymInts, not float");
    assert_true(val_as_shape(args, 1, shape, &nd, "zeros"));
    assert_int_equal(nd, 1);
    assert_int_equal(shape[0], 2);
    val_release(args[0]);
    val_release(args[1]);
    val_release(f);
    tsr_err_clear();
}

/* ---- creation */

static void test_zeros_forms(void **state) {
    int64_t s23[] = {2, 3};
    Value *z = call2(NULL, "zeros", val_int(2), val_int(3));
    assert_non_null(z);
    expect_shape(z->tensor, 2, s23);
    assert_int_equal(z->tensor->dtype, DT_FLOAT32);
    Value *size = call0(z, "size");
    assert_int_equal(size->kind, VK_SIZE);
    assert_int_equal(size->seq.len, 2);
    Value *o = call1(NULL, "ones", size); /* ones(x.size()) */
    expect_shape(o->tensor, 2, s23);
    assert_true(tensor_get_f64(o->tensor, 5) == 1.0);
    Value *args[] = {list_of(2, val_int(2), val_int(3)), val_int(7)};
    Value *fl = call(NULL, "full", 2, args, 0, NULL, NULL);
    assert_int_equal(fl->tensor->dtype, DT_INT64);
    assert_int_equal(tensor_get_i64(fl->tensor, 4), 7);
    Value *st = call1(z, "stride", val_int(0));
    assert_int_equal(st->i, 3);
    expect_error(call1(z, "size", val_int(5)), ERR_IndexError,
                 "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
    Value *ty = call0(z, "type");
    assert_string_equal(ty->str.s, "torch.FloatTensor");
    const char *kw[] = {"device"};
    Value *kv[] = {val_cstr("cuda")};
    Value *a2[] = {val_int(2)};
    expect_cuda(call(NULL, "ones", 1, a2, 1, kw, kv));
    val_release(ty);
    val_release(st);
    val_release(fl);
    val_release(o);
    val_release(z);
}

static void test_legacy_ctors(void **state) {
    Value *t = call2(NULL, "Tensor", val_int(2), val_int(3));
    assert_non_null(t);
    assert_int_equal(t->tensor->dtype, DT_FLOAT32);
    val_release(t);
    t = call1(NULL, "LongTensor", list_of(2, val_float(1.5), val_int(2)));
    assert_int_equal(t->tensor->dtype, DT_INT64);
    assert_int_equal(tensor_get_i64(t->tensor, 0), 1);
    val_release(t);
    expect_error(call1(NULL, "Tensor", val_float(2.5)), ERR_TypeError,
                 "new(): data must be a sequence (got float)");
}

/* ---- return types and attributes */

static void test_max_return_type(void **state) {
    /* torch.max(torch.tensor([[1,5],[3,2]]), 1) -> values=[5, 3], indices=[1, 0] */
    int64_t r0[] = {1, 5}, r1[] = {3, 2};
    Value *x = call1(NULL, "tensor", list_of(2, ilist(2, r0), ilist(2, r1)));
    Value *args[] = {val_retain(x), val_int(1)};
    Value *m = call(NULL, "max", 2, args, 0, NULL, NULL);
    assert_non_null(m);
    assert_int_equal(m->kind, VK_NAMEDTUPLE);
    assert_string_equal(m->seq.nt->name, "max");
    assert_string_equal(m->seq.nt->fields[0], "values");
    assert_string_equal(m->seq.nt->fields[1], "indices");
    Tensor *v = m->seq.items[0]->tensor, *i = m->seq.items[1]->tensor;
    assert_int_equal(tensor_get_i64(v, 0), 5);
    assert_int_equal(tensor_get_i64(v, 1), 3);
    assert_int_equal(tensor_get_i64(i, 0), 1);
    assert_int_equal(tensor_get_i64(i, 1), 0);
    assert_int_equal(i->dtype, DT_INT64);
    val_release(m);
    /* x.sort(descending=True) */
    const char *kw[] = {"descending"};
    Value *kv[] = {val_bool(true)};
    Value *s = call(x, "sort", 0, NULL, 1, kw, kv);
    assert_non_null(s);
    assert_string_equal(s->seq.nt->name, "sort");
    assert_int_equal(tensor_get_i64(s->seq.items[0]->tensor, 0), 5);
    assert_int_equal(tensor_get_i64(s->seq.items[1]->tensor, 0), 1);
    val_release(s);
    val_release(x);
}

static void test_attrs(void **state) {
    int64_t r0[] = {1, 2, 3};
    Value *x = call1(NULL, "tensor", ilist(3, r0));
    Value *shape = tensor_getattr(x, "shape");
    assert_int_equal(shape->kind, VK_SIZE);
    assert_int_equal(shape->seq.items[0]->i, 3);
    val_release(shape);
    Value *dt = tensor_getattr(x, "dtype");
    assert_int_equal(dt->dtype, DT_INT64);
    val_release(dt);
    Value *g = tensor_getattr(x, "grad");
    assert_int_equal(g->kind, VK_NONE);
    val_release(g);
    Value *leaf = tensor_getattr(x, "is_leaf");
    assert_true(leaf->b);
    val_release(leaf);
    assert_null(tensor_getattr(x, "foo"));
    assert_string_equal(tsr_err_msg(), "'Tensor' object has no attribute 'foo'");
    assert_int_equal(tsr_err_kind(), ERR_AttributeError);
    Value *t = val_bool(true);
    assert_false(tensor_setattr(x, "requires_grad", t));
    assert_string_equal(tsr_err_msg(),
                        "only Tensors of floating point and complex dtype can require gradients");
    Value *one = val_int(1);
    assert_false(tensor_setattr(x, "requires_grad", one));
    assert_string_equal(tsr_err_msg(), "requires_grad must be a bool");
    assert_false(tensor_setattr(x, "shape", one));
    assert_int_equal(tsr_err_kind(), ERR_AttributeError);
    val_release(one);
    /* x.data = float tensor: x now holds its values */
    Value *f = call1(NULL, "tensor", list_of(2, val_float(0.5), val_float(1.5)));
    assert_true(tensor_setattr(x, "data", f));
    assert_int_equal(x->tensor->dtype, DT_FLOAT32);
    assert_int_equal(x->tensor->shape[0], 2);
    assert_true(tensor_get_f64(x->tensor, 1) == 1.5);
    assert_true(tensor_setattr(x, "requires_grad", t));
    assert_true(x->tensor->requires_grad);
    val_release(t);
    val_release(f);
    val_release(x);
    tsr_err_clear();
}

static void test_method_lookup(void **state) {
    assert_non_null(tensor_method_lookup("sum"));
    assert_non_null(tensor_method_lookup("add_"));
    assert_non_null(tensor_method_lookup("exp_"));
    assert_non_null(tensor_method_lookup("view"));
    assert_non_null(tensor_method_lookup("tolist"));
    assert_null(tensor_method_lookup("no_such_method"));
    assert_string_equal(tensor_method_lookup("sigmoid")->name, "sigmoid");
}


/* arange-free 0..n-1 float tensor of the given shape, via tensor() + view */
static Value *iota(int n, DType dt) {
    Value *l = val_list_new(n);
    for (int i = 0; i < n; i++) val_list_append_steal(l, val_int(i));
    Value *args[] = {l};
    const char *kw[] = {"dtype"};
    Value *kv[] = {val_dtype(dt)};
    return call(NULL, "tensor", 1, args, 1, kw, kv);
}

static void test_shape_methods(void **state) {
    Value *x = iota(6, DT_FLOAT32);
    int64_t s23[] = {2, 3}, s32[] = {3, 2};
    Value *v = call2(x, "view", val_int(2), val_int(3)); /* x.view(2, 3) */
    assert_non_null(v);
    expect_shape(v->tensor, 2, s23);
    assert_ptr_equal(v->tensor->storage, x->tensor->storage);
    Value *r = call1(x, "reshape", list_of(2, val_int(3), val_int(-1))); /* x.reshape([3, -1]) */
    assert_non_null(r);
    expect_shape(r->tensor, 2, s32);
    Value *st = call0(v, "stride");
    assert_int_equal(st->kind, VK_TUPLE);
    assert_int_equal(st->seq.items[0]->i, 3);
    assert_int_equal(st->seq.items[1]->i, 1);
    /* torch.split(v, 2, dim=1) -> 2 pieces of widths 2 and 1 */
    Value *args[] = {val_retain(v), val_int(2)};
    const char *kw[] = {"dim"};
    Value *kv[] = {val_int(1)};
    Value *sp = call(NULL, "split", 2, args, 1, kw, kv);
    assert_non_null(sp);
    assert_int_equal(sp->kind, VK_TUPLE);
    assert_int_equal(sp->seq.len, 2);
    assert_int_equal(sp->seq.items[1]->tensor->shape[1], 1);
    /* torch.cat((v, v), 0) -> (4, 3) */
    Value *c = call2(NULL, "cat", list_of(2, val_retain(v), val_retain(v)), val_int(0));
    assert_non_null(c);
    assert_int_equal(c->tensor->shape[0], 4);
    expect_error(call2(NULL, "cat", val_retain(v), val_int(0)), ERR_TypeError,
                 "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor");
    /* the tensor over a transposed view's storage (what x.storage() holds)
     * covers the whole storage */
    Value *t = call0(v, "t");
    Value *sto = call2(NULL, "_storage_view", val_retain(t), val_none());
    Value *sl = call0(sto, "tolist");
    assert_int_equal(sl->seq.len, 6);
    assert_true(sl->seq.items[4]->f == 4.0);
    Value *cont = call0(t, "is_contiguous");
    assert_false(cont->b);
    Value *so = call0(t, "storage_offset");
    assert_int_equal(so->i, 0);
    Value *vals[] = {so, cont, sl, sto, t, c, sp, st, r, v, x};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) val_release(vals[i]);
}

static void test_conversion_methods(void **state) {
    Value *x = iota(3, DT_FLOAT32);
    Value *same = call0(x, "float");
    assert_ptr_equal(same, x); /* x.float() is x */
    val_release(same);
    Value *d = call1(x, "to", val_dtype(DT_FLOAT64));
    assert_int_equal(d->tensor->dtype, DT_FLOAT64);
    Value *ty = call0(d, "type");
    assert_string_equal(ty->str.s, "torch.DoubleTensor");
    Value *i = call1(x, "type", val_cstr("torch.IntTensor"));
    assert_int_equal(i->tensor->dtype, DT_INT32);
    expect_error(call1(x, "type", val_cstr("foo")), ERR_ValueError, "invalid type: 'foo'");
    expect_cuda(call0(x, "cuda"));
    expect_cuda(call1(x, "to", val_cstr("cuda")));
    Value *cpu = call2(x, "to", val_cstr("cpu"), val_dtype(DT_INT8));
    assert_int_equal(cpu->tensor->dtype, DT_INT8);
    Value *nl = call0(x, "tolist");
    assert_true(nl->seq.items[2]->f == 2.0);
    Value *vals[] = {nl, cpu, i, ty, d, x};
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) val_release(vals[k]);
}

static void test_reductions(void **state) {
    Value *x = iota(6, DT_FLOAT32);
    Value *v = call2(x, "view", val_int(2), val_int(3));
    /* v.sum(dim=1, keepdim=True) -> [[3.], [12.]] */
    const char *kw[] = {"dim", "keepdim"};
    Value *kv[] = {val_int(1), val_bool(true)};
    Value *s = call(v, "sum", 0, NULL, 2, kw, kv);
    assert_non_null(s);
    assert_int_equal(s->tensor->ndim, 2);
    assert_true(tensor_get_f64(s->tensor, 1) == 12.0);
    /* torch.mean(v) -> 2.5 */
    Value *m = call1(NULL, "mean", val_retain(v));
    assert_true(tensor_get_f64(m->tensor, 0) == 2.5);
    /* v.var(unbiased=False) over all: 35/12 */
    const char *kw2[] = {"unbiased"};
    Value *kv2[] = {val_bool(false)};
    Value *var = call(v, "var", 0, NULL, 1, kw2, kv2);
    assert_non_null(var);
    assert_true(fabs(tensor_get_f64(var->tensor, 0) - 35.0 / 12.0) < 1e-6);
    /* v.argmax() -> 5 */
    Value *am = call0(v, "argmax");
    assert_int_equal(tensor_get_i64(am->tensor, 0), 5);
    expect_error(call1(v, "sum", val_float(1.5)), ERR_TypeError,
                 "sum(): argument 'dim' must be tuple of ints, not float");
    Value *vals[] = {am, var, m, s, v, x};
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++) val_release(vals[k]);
}

/* ---- the registry: every public name defined once */

/* No name twice among the n tables of one namespace (empty names are never
 * installed). */
static void expect_unique(const char *what, const Builtin *const *tables, size_t n) {
    for (size_t k = 0; k < n; k++)
        for (const Builtin *b = tables[k]; b->name; b++) {
            if (!b->name[0]) continue;
            for (size_t j = 0; j <= k; j++)
                for (const Builtin *c = tables[j]; c->name && (j < k || c < b); c++)
                    if (!strcmp(b->name, c->name)) fail_msg("%s '%s' is defined twice", what, b->name);
        }
}

static void test_names_unique(void **state) {
    static const Builtin *const functions[] = {
#define X(stem) stem##_functions,
        BUILTIN_TABLES(X)
#undef X
    };
    static const Builtin *const methods[] = {
#define X(stem) stem##_methods,
        BUILTIN_TABLES(X)
#undef X
    };
    static const Builtin *const python[] = {python_builtins};
    static const Builtin *const tsr[] = {tsr_graph_functions, tsr_teaching_functions};
    static const Builtin *const cuda[] = {cuda_module_functions};
    static const Builtin *const autograd[] = {autograd_module_functions};
    static const Builtin *const linalg[] = {linalg_module_functions};
    static const Builtin *const functional[] = {nn_functional_functions};
    expect_unique("torch function", functions, sizeof functions / sizeof *functions);
    expect_unique("tensor method", methods, sizeof methods / sizeof *methods);
    expect_unique("Python builtin", python, 1);
    expect_unique("tsr function", tsr, 2);
    expect_unique("torch.cuda function", cuda, 1);
    expect_unique("torch.autograd function", autograd, 1);
    expect_unique("torch.linalg function", linalg, 1);
    expect_unique("torch.nn.functional function", functional, 1);
}

/* builtins_open checks the same at start-up, and opens every namespace */
static void test_builtins_open(void **state) {
    Interp *in = interp_new(0, NULL);
    assert_non_null(in);
    tsr_err_clear();
    if (!builtins_open(in)) fail_msg("builtins_open: %s", tsr_err_msg());
    interp_free(in);
}

/* Process-wide state holding a program's values dies with its
 * interpreter: np.seterrcall's bound method (whose class's function points
 * into the first program's syntax tree) is released by interp_free, and
 * the next interpreter starts from numpy's defaults (a fuzz_repl finding:
 * the second interpreter freed the first one's function after its tree). */
static void test_state_per_interp(void **state) {
    static const char *const programs[2] = {
        "import numpy as np\n"
        "class K:\n"
        "    def m(self, kind, flag):\n"
        "        pass\n"
        "np.seterrcall(K().m)\n"
        "np.seterr(all='raise')\n",
        "import numpy as np\n"
        "assert np.geterrcall() is None\n"
        "assert np.geterr()['divide'] == 'warn' and np.geterr()['under'] == 'ignore'\n"
        "np.seterrcall(None)\n",
    };
    for (int i = 0; i < 2; i++) {
        Interp *in = interp_new(0, NULL);
        assert_non_null(in);
        tsr_err_clear();
        if (!builtins_open(in)) fail_msg("builtins_open: %s", tsr_err_msg());
        assert_int_equal(interp_run_script(in, programs[i], strlen(programs[i]), "<test>"), 0);
        interp_free(in);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tensor_infer_int),
        cmocka_unit_test(test_tensor_infer_mixed),
        cmocka_unit_test(test_tensor_empty_lists),
        cmocka_unit_test(test_tensor_errors),
        cmocka_unit_test(test_tensor_dtype_kw),
        cmocka_unit_test(test_item_tolist),
        cmocka_unit_test(test_args_parse),
        cmocka_unit_test(test_conversions),
        cmocka_unit_test(test_zeros_forms),
        cmocka_unit_test(test_legacy_ctors),
        cmocka_unit_test(test_max_return_type),
        cmocka_unit_test(test_attrs),
        cmocka_unit_test(test_method_lookup),
        cmocka_unit_test(test_shape_methods),
        cmocka_unit_test(test_conversion_methods),
        cmocka_unit_test(test_reductions),
        cmocka_unit_test(test_names_unique),
        cmocka_unit_test(test_builtins_open),
        cmocka_unit_test(test_state_per_interp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
