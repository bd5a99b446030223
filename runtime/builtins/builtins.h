/* builtins.h: how builtins are registered and how they read arguments.
 *
 * Each file of builtins/ exports NULL-terminated tables (a {NULL, NULL}
 * entry ends them). BUILTIN_TABLES lists them once; modules.c installs
 *  - *_functions into the torch module and, bare, into the globals
 *    (`from torch import *`);
 *  - *_methods as tensor methods (self = the tensor Value).
 *  - python_builtins (python.c) into the globals, over torch's.
 */
#ifndef TSR_BUILTINS_H
#define TSR_BUILTINS_H

#include "modules.h"
#include "value.h"

/* X(file_stem): <stem>.c defines <stem>_functions[] and <stem>_methods[].
 * A name is defined once among all the *_functions tables and once among
 * all the *_methods tables (builtins_open refuses to start otherwise), so
 * the order of this list does not matter. */
#define BUILTIN_TABLES(X) \
    X(elementwise) \
    X(creation) \
    X(reduce) \
    X(sort) \
    X(linalg) \
    X(linalg_add) \
    X(histogram) \
    X(statistics) \
    X(linalg_decomp) \
    X(index) \
    X(nn) \
    X(conv) \
    X(pool) \
    X(norm) \
    X(upsample) \
    X(convert) \
    X(tensor_attrs) \
    X(torch_module) \
    X(shape) \
    X(random) \
    X(autograd) \
    X(numpy_interop) \
    X(serialization) \
    X(storage) \
    X(torch_python) \
    X(special) \
    X(index_scatter) \
    X(strided) \
    X(scan) \
    X(renorm) \
    X(linalg_factor) \
    X(pixel_shuffle) \
    X(rrelu) \
    X(linalg_matrix_exp) \
    X(linalg_lstsq)     \
    X(threshold) \
    X(pdist)     \
    X(torch_aliases) \
    X(random_samplers) \
    X(frexp) \
    X(flush_denormal) \
    X(linalg_ormqr)   \
    X(shrink) \
    X(prelu) \
    X(bilinear) \
    X(affine_grid) \
    X(embedding_bag) \
    X(grid_sample) \
    X(loss_ctc) \
    X(complex_tensors)

#define X(stem) extern const Builtin stem##_functions[]; extern const Builtin stem##_methods[];
BUILTIN_TABLES(X)
#undef X

/* torch_argparse.c: PyTorch's argument parser's verdict on a call of a
 * torch function (self NULL) or Tensor method it has signatures for (false
 * with its TypeError raised) */
bool argparse_check(const Builtin *b, Value *self, const CallArgs *a);

extern const Builtin python_builtins[];
extern const int python_builtins_count;
/* every tensor method table, NULL-terminated (tensor_attrs.c) */
extern const Builtin *const tensor_method_tables[];
/* torch.cuda.NAME (torch_module.c) */
extern const Builtin cuda_module_functions[];
/* torch.autograd.NAME (autograd.c) */
extern const Builtin autograd_module_functions[];
/* tsr.NAME: tsr's own teaching/REPL extensions, never bare names */
extern const Builtin tsr_graph_functions[];    /* tsr_graph.c: tsr.graph */
extern const Builtin tsr_teaching_functions[]; /* tsr.c: tsr.layout, tsr.whos */
extern const Builtin tsr_optim_functions[];    /* optim.c: tsr._sgd_step, tsr._adam_step */
extern const Builtin tsr_teach_functions[];    /* tsr_teach.c: tsr.teach */
extern const Builtin tsr_plot_functions[];     /* tsr_plot.c: tsr.plot, tsr.heatmap */
extern const Builtin tsr_warnings_functions[]; /* warnings.c: tsr._warning_frame, tsr._source_line */
extern const Builtin tsr_help_functions[];     /* python_help.c: tsr._help_entry, tsr._signature */
/* torch.special.NAME: the rows of elementwise_ops.h named "_special_NAME"
 * (elementwise.c) and the composites (special.c); torch_module.c adds the
 * aliases of torch's functions */
extern const Builtin elementwise_special_functions[];
extern const Builtin special_module_functions[];
/* torch.fft.NAME (torch_fft.c) */
extern const Builtin fft_module_functions[];
/* torch.linalg.NAME: <stem>.c defines <stem>_module_functions[] (linalg.c;
 * the LAPACK-based ones in linalg_decomp.c, linalg_factor.c, linalg_lstsq.c) */
#define LINALG_MODULE_TABLES(X) \
    X(linalg) X(linalg_decomp) X(linalg_factor) X(linalg_aliases) X(linalg_tensorsolve) X(linalg_matrix_exp) \
    X(linalg_lstsq)
#define X(stem) extern const Builtin stem##_module_functions[];
LINALG_MODULE_TABLES(X)
#undef X
/* torch.nn.functional.NAME (nn.c): F-only functions */
extern const Builtin nn_functional_functions[];
/* torch.nn.functional.NAME of the nn layer families: <stem>.c defines
 * <stem>_functional_functions[] (F-only names and F's twins of torch's) */
#define NN_FUNCTIONAL_TABLES(X) X(conv) X(pool) X(norm) X(upsample) X(pixel_shuffle) X(loss_margin) X(threshold) X(unpool) X(pdist) \
    X(shrink) X(prelu) X(bilinear) X(loss_ctc)
#define X(stem) extern const Builtin stem##_functional_functions[];
NN_FUNCTIONAL_TABLES(X)
#undef X

/* X(name, stem): Python's standard modules tsr provides. stdlib_<stem>.c
 * defines `bool stdlib_<stem>_open(Value *module)`, which fills the new
 * module's members; modules.c opens a module the first time it is
 * imported and keeps it (Interp.modules, Python's sys.modules). */
#define STDLIB_MODULES(X) \
    X("time", time) \
    X("random", random) \
    X("math", math) \
    X("cmath", cmath) \
    X("sys", sys) \
    X("os", os) \
    X("os.path", os_path) \
    X("numpy", numpy) \
    X("numpy.random", numpy_random) \
    X("numpy.linalg", numpy_linalg) \
    X("numpy.fft", numpy_fft)

#define X(name, stem) bool stdlib_##stem##_open(Value *module);
STDLIB_MODULES(X)
#undef X
/* Installs a NULL-terminated table into a module's members. */
bool module_install(Value *module, const Builtin *table);
/* The module `name` (opened on first use): a new reference, or NULL with
 * ModuleNotFoundError raised. */
Value *stdlib_import(const char *name);

/* Fills the torch module's members that are not builtins (torch_module.c):
 * dtypes, constants, torch.Tensor as a type, the submodules. */
bool torch_module_init(Value *torch);

/* The torch modules whose members are written in Python, one row per
 * source file (runtime/builtins/torch/FILE.py) in the order they run:
 * X(module, file, python_name), python_name being the `__name__` the file
 * runs under, PyTorch's, so its classes print as PyTorch's do
 * (<class 'torch.nn.modules.linear.Linear'>). torch_module_init creates
 * each module unloaded; its files run the first time one of its members is
 * asked for (module_members, torch_module_load). */
#define TORCH_PY_PARTS(X) \
    X("torch.nn", "nn_module", "torch.nn.modules.module") \
    X("torch.nn", "nn_container", "torch.nn.modules.container") \
    X("torch.nn", "nn_parameter", "torch.nn.parameter") \
    X("torch.nn", "nn_lazy", "torch.nn.modules.lazy") \
    X("torch.nn", "nn_linear", "torch.nn.modules.linear") \
    X("torch.nn", "nn_activation", "torch.nn.modules.activation") \
    X("torch.nn", "nn_loss", "torch.nn.modules.loss") \
    X("torch.nn", "nn_dropout", "torch.nn.modules.dropout") \
    X("torch.nn", "nn_flatten", "torch.nn.modules.flatten") \
    X("torch.nn", "nn_padding", "torch.nn.modules.padding") \
    X("torch.nn", "nn_upsampling", "torch.nn.modules.upsampling") \
    X("torch.nn", "nn_distance", "torch.nn.modules.distance") \
    X("torch.nn", "nn_fold", "torch.nn.modules.fold") \
    X("torch.nn", "nn_sparse", "torch.nn.modules.sparse") \
    X("torch.nn", "nn_conv", "torch.nn.modules.conv") \
    X("torch.nn", "nn_pooling", "torch.nn.modules.pooling") \
    X("torch.nn", "nn_normalization", "torch.nn.modules.batchnorm") \
    X("torch.nn", "nn_instancenorm", "torch.nn.modules.instancenorm") \
    X("torch.nn", "nn_rnn", "torch.nn.modules.rnn") \
    X("torch.nn.utils", "nn_utils", "torch.nn.utils.clip_grad") \
    X("torch.nn.init", "nn_init", "torch.nn.init") \
    X("torch.nn.functional", "nn_functional", "torch.nn.functional") \
    X("torch.optim", "optim_optimizer", "torch.optim.optimizer") \
    X("torch.optim", "optim_sgd", "torch.optim.sgd") \
    X("torch.optim", "optim_adam", "torch.optim.adam") \
    X("torch.optim", "optim_adamw", "torch.optim.adamw") \
    X("torch.optim", "optim_rmsprop", "torch.optim.rmsprop") \
    X("torch.optim", "optim_adagrad", "torch.optim.adagrad") \
    X("torch.optim", "optim_adadelta", "torch.optim.adadelta") \
    X("torch.optim", "optim_adamax", "torch.optim.adamax") \
    X("torch.optim", "optim_nadam", "torch.optim.nadam") \
    X("torch.optim", "optim_radam", "torch.optim.radam") \
    X("torch.optim", "optim_rprop", "torch.optim.rprop") \
    X("torch.optim", "optim_asgd", "torch.optim.asgd") \
    X("torch.optim", "optim_lbfgs", "torch.optim.lbfgs") \
    X("torch.optim.optimizer", "optim_modules", "torch.optim.optimizer") \
    X("torch.optim.sgd", "optim_modules", "torch.optim.sgd") \
    X("torch.optim.adam", "optim_modules", "torch.optim.adam") \
    X("torch.optim.adamw", "optim_modules", "torch.optim.adamw") \
    X("torch.optim.rmsprop", "optim_modules", "torch.optim.rmsprop") \
    X("torch.optim.adagrad", "optim_modules", "torch.optim.adagrad") \
    X("torch.optim.adadelta", "optim_modules", "torch.optim.adadelta") \
    X("torch.optim.adamax", "optim_modules", "torch.optim.adamax") \
    X("torch.optim.nadam", "optim_modules", "torch.optim.nadam") \
    X("torch.optim.radam", "optim_modules", "torch.optim.radam") \
    X("torch.optim.rprop", "optim_modules", "torch.optim.rprop") \
    X("torch.optim.asgd", "optim_modules", "torch.optim.asgd") \
    X("torch.optim.lbfgs", "optim_modules", "torch.optim.lbfgs") \
    X("torch.optim.lr_scheduler", "optim_lr_scheduler", "torch.optim.lr_scheduler") \
    X("torch.utils.data", "data_sampler", "torch.utils.data.sampler") \
    X("torch.utils.data", "data_dataset", "torch.utils.data.dataset") \
    X("torch.utils.data", "data_collate", "torch.utils.data._utils.collate") \
    X("torch.utils.data", "data_dataloader", "torch.utils.data.dataloader") \
    X("torch.storage", "storage", "torch.storage") \
    X("torch.type_info", "type_info", "torch") \
    X("torch.functional", "functional", "torch.functional") \
    X("torch.functional", "functional_shape", "torch.functional") \
    X("torch.functional", "functional_gradient", "torch.functional") \
    X("torch.autograd.functional", "autograd_functional", "torch.autograd.functional") \
    X("torch.autograd", "autograd_gradcheck", "torch.autograd.gradcheck")              \
    X("torch.autograd.function", "autograd_function", "torch.autograd.function")       \
    X("torch.autograd", "autograd_function_names", "torch.autograd")                   \
    X("torch.nn", "nn_attention", "torch.nn.modules.activation") \
    X("torch.nn", "nn_transformer", "torch.nn.modules.transformer") \
    X("torch.nn.functional", "nn_functional_attention", "torch.nn.functional") \
    X("torch.nn.functional", "nn_functional_loss", "torch.nn.functional") \
    X("torch.nn", "nn_pixelshuffle", "torch.nn.modules.pixelshuffle") \
    X("torch.nn.parameter", "nn_modules", "torch.nn.parameter") \
    X("torch.nn.modules.lazy", "nn_modules", "torch.nn.modules.lazy") \
    X("torch.functional", "functional_math", "torch.functional") \
    X("torch.functional", "functional_windows", "torch.functional") \
    X("torch.functional", "functional_stft", "torch.functional") \
    X("torch.functional", "functional_flags", "torch.functional") \
    X("torch.functional", "functional_nn", "torch.functional") \
    X("torch.functional", "functional_legacy", "torch.functional") \
    X("torch.functional", "functional_lowrank", "torch._lowrank") \
    X("torch.functional", "functional_lobpcg", "torch._lobpcg") \
    X("torch.functional", "functional_dlpack", "torch.utils.dlpack") \
    X("torch.backends", "backends", "torch.backends") \
    X("torch.backends.cudnn", "backends", "torch.backends.cudnn") \
    X("torch.backends.cuda", "backends", "torch.backends.cuda") \
    X("torch.backends.mps", "backends", "torch.backends.mps") \
    X("torch.backends.mkl", "backends", "torch.backends.mkl") \
    X("torch.backends.mkldnn", "backends", "torch.backends.mkldnn") \
    X("torch.backends.openmp", "backends", "torch.backends.openmp")
/* torch.MODULE.NAME, loading MODULE's Python (TORCH_PY_PARTS) the first
 * time (torch_python.c) */
Value *torch_python_member(const char *module, const char *name);
/* The bare name NAME that `from torch import *` binds to one of those
 * members: a new reference, or NULL (with no error) when it binds none. */
Value *torch_python_bare(const char *name);
/* Runs the Python files of a module TORCH_PY_PARTS lists into its members. */
bool torch_module_load(Value *module);

/* nn.Parameter(data=None, requires_grad=True): a leaf sharing data's
 * storage (nn.c). */
Value *parameter_new(const CallArgs *a);

/* The language core's hooks into the library (modules.c installs them in
 * LangHooks): calling a type object, and the methods and special
 * attributes of Python values (python.c, python_methods.c). */
Value *type_call(TypeId t, const CallArgs *a);
const Builtin *python_method_lookup(Value *obj, const char *name);
const Builtin *python_dunder_lookup(Value *obj, const char *name); /* (1).__add__, d.__setitem__, ... */
/* python_object.c: builtins python.c's table lists */
#define PYTHON_OBJECT_BUILTINS(X) \
    X(id) X(hash) X(setattr) X(delattr) X(vars) X(globals) X(locals) X(iter) X(next) X(map) X(filter) \
    X(chr) X(ord) X(bin) X(oct) X(hex) X(divmod) X(ascii)
#define X(name) Value *py_##name(Value *self, const CallArgs *a);
PYTHON_OBJECT_BUILTINS(X)
#undef X
/* python_dir.c: dir(); python_help.c: help() */
Value *py_dir(Value *self, const CallArgs *a);
Value *py_help(Value *self, const CallArgs *a);
/* a builtin's __doc__: its help text's signature and description, or None */
Value *help_doc(Value *obj);
/* the parameters a caller can name, "dim\0out\0", or NULL (param_names.h) */
const char *builtin_param_names(Value *callable);
/* torch.f(..., out=t) for a builtin f that does not read out= itself but
 * whose PyTorch signature has it (out_arg.c); *handled false: not such a
 * call, call f as usual */
Value *call_with_out(Value *callee, const CallArgs *a, bool *handled);
extern const Builtin generator_methods[];
/* node.next_functions: ((node or None, input_nr), ...) (python_methods.c) */
Value *gradfn_next_functions(struct GradNode *n);
/* torch.autograd's C half of torch.autograd.Function (autograd_function.c) */
extern const Builtin autograd_function_functions[];
/* random.c: the methods of a torch.Generator (manual_seed, get_state, ...) */
extern const Builtin torch_generator_methods[];
/* torch.default_generator: a Generator over the default state */
Value *default_generator_value(void);
/* python_file.c: open() and text files */
Value *py_open(Value *self, const CallArgs *a);
Value *py_input(Value *self, const CallArgs *a);
extern const Builtin file_methods[];
Value *file_getattr(Value *self, const char *name); /* closed, name, mode: NULL (no error) for others */
/* python_dict.c: dict, set and frozenset */
extern const Builtin dict_methods[], set_methods[], frozenset_methods[];
/* python_str.c: str's methods, and the same through the type
 * (str.upper(s): self first; str.maketrans) */
extern const Builtin str_methods[], str_maketrans_builtin;
extern const Builtin dict_fromkeys_builtin; /* dict.fromkeys */
Value *dict_from_args(const CallArgs *a);
Value *set_from_args(bool frozen, const CallArgs *a);
Value *value_getattr_special(Value *obj, const char *name);

/* Parses a call against a Python-style signature.
 *   spec: "input, dim=, keepdim=, *, dtype=" -- names separated by ", ";
 *   `name=` is optional (out slot NULL when not given); a bare `*` starts
 *   keyword-only names. Positional args fill names in order.
 * out[] receives borrowed values, one slot per name (skip the `*`).
 * first_pos skips positional args the caller already consumed (varargs
 * like zeros(2, 3, dtype=...)): out has no slot for them.
 * Raises TypeError as Python does:
 *   "sum() takes from 1 to 3 positional arguments but 4 were given",
 *   "sum() got an unexpected keyword argument 'dimm'",
 *   "sum() missing 1 required positional argument: 'input'",
 *   "sum() got multiple values for argument 'dim'". */
bool args_parse(const CallArgs *a, int first_pos, const char *fname, const char *spec,
                Value **out);

/* Tensor attributes that are not methods: shape, dtype, device, T, mT, grad,
 * requires_grad, is_leaf, grad_fn, data, ndim, is_cuda, names ... */
Value *tensor_getattr(Value *self, const char *name);   /* NULL + AttributeError if none */
bool tensor_setattr(Value *self, const char *name, Value *v);
/* Finds a tensor method by name (NULL if none; no error raised). */
const Builtin *tensor_method_lookup(const char *name);


/* Wraps an op result: NULL stays NULL (error raised). */
static inline Value *wrap_tensor(Tensor *t) { return t ? val_tensor_steal(t) : NULL; }

#endif
