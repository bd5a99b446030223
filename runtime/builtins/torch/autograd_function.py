# torch.autograd.function: torch/autograd/function.py of 1.13 on tsr's C
# half (autograd_function.c): Function.apply records a FunctionBackward
# node whose ctx is an instance of the class's XBackward class.
# tsr classes have one base, so _FunctionBase, FunctionCtx and _HookMixin
# form one chain: the MRO of Function and XBackward is PyTorch's.

import torch
# functools and warnings are imported where they are used: loading them
# costs every program that touches torch.autograd tens of milliseconds.


class _HookMixin(object):

    @staticmethod
    def _register_hook(backward_hooks, hook):
        if backward_hooks is None:
            backward_hooks = {}
        handle = torch.utils.hooks.RemovableHandle(backward_hooks)
        backward_hooks[handle.id] = hook
        return backward_hooks, handle


class FunctionCtx(_HookMixin):

    def save_for_backward(self, *tensors):
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        for tensor in tensors:
            assert isinstance(tensor, torch.Tensor) or tensor is None, (
                "save_for_forward expects all arguments to be tensors; you should "
                "save non-tensors as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *args):
        self.dirty_tensors = args

    def mark_shared_storage(self, *pairs):
        import warnings
        warnings.warn(
            'mark_shared_storage is deprecated. '
            'Tensors with shared storages are automatically tracked. Note '
            'that calls to `set_()` are not tracked')

    def mark_non_differentiable(self, *args):
        self.non_differentiable = args

    def set_materialize_grads(self, value):
        self.materialize_grads = value


_ContextMethodMixin = FunctionCtx


class _FunctionBase(FunctionCtx):
    __module__ = 'torch._C'
    apply = classmethod(torch.autograd._function_apply)

    def name(self):
        return type(self).__name__

    @property
    def saved_tensors(self):
        return torch.autograd._function_saved_tensors(self)

    @property
    def saved_variables(self):
        import warnings
        warnings.warn("'saved_variables' is deprecated; use 'saved_tensors'", DeprecationWarning)
        return torch.autograd._function_saved_tensors(self)

    @property
    def needs_input_grad(self):
        return torch.autograd._function_needs_input_grad(self)

    @property
    def next_functions(self):
        return torch.autograd._function_next_functions(self)


class BackwardCFunction(_FunctionBase):
    def apply(self, *args):
        # _forward_cls is defined by derived class
        # The user should define either backward or vjp but never both.
        backward_fn = self._forward_cls.backward
        vjp_fn = self._forward_cls.vjp
        if backward_fn is not Function.backward and vjp_fn is not Function.vjp:
            raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom "
                               "Function is not allowed. You should only implement one "
                               "of them.")
        user_fn = vjp_fn if vjp_fn is not Function.vjp else backward_fn
        return user_fn(self, *args)

    def apply_jvp(self, *args):
        return self._forward_cls.jvp(self, *args)


class Function(_FunctionBase):
    r"""Base class to create custom `autograd.Function`

    To create a custom `autograd.Function`, subclass this class and implement
    the :meth:`forward` and :meth:`backward` static methods. Then, to use your custom
    op in the forward pass, call the class method ``apply``. Do not call
    :meth:`forward` directly.
    """

    # FunctionMeta.__init__: each subclass gets its XBackward class
    def __init_subclass__(cls):
        cls._backward_cls = torch.autograd._function_backward_cls(cls, BackwardCFunction)

    def __init__(self, *args, **kwargs):
        import warnings
        cls = self.__class__
        warnings.warn(f"{cls} should not be instantiated. Methods on autograd functions"
                      "are all static, so you should invoke them on the class itself. "
                      "Instantiating an autograd function will raise an "
                      "error in a future version of PyTorch.", DeprecationWarning)

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. "
            "Please use new-style autograd function with static forward method. "
            "(Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    is_traceable = False

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom"
                                  " autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward "
                                  "mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")


Function._backward_cls = torch.autograd._function_backward_cls(Function, BackwardCFunction)


def once_differentiable(fn):
    import functools

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with torch.no_grad():
            outputs = fn(ctx, *args)

        if not torch.is_grad_enabled():
            return outputs

        # If any of the inputs have requires_grad=True, we force the outputs
        # to have requires_grad=True but point to a grad_fn which throws an
        # error message during (double) back-propagation.
        requires_grad = any(isinstance(arg, torch.Tensor) and arg.requires_grad
                            for arg in args)
        if not requires_grad:
            return outputs

        if not isinstance(outputs, tuple):
            outputs = (outputs,)

        def fake_requires_grad(var):
            if var is not None:
                var = var.detach()
                var.requires_grad = True
            return var

        return torch.autograd._delayed_error(
            "trying to differentiate twice a function that was marked "
            "with @once_differentiable", *[fake_requires_grad(v) for v in outputs])
    return wrapper


def traceable(fn_cls):
    fn_cls.is_traceable = True
    return fn_cls


class InplaceFunction(Function):

    def __init__(self, inplace=False):
        super(InplaceFunction, self).__init__()
        self.inplace = inplace
