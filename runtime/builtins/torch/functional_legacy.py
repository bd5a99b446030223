# torch.functional (part): PyTorch 1.13's legacy entry points: the
# functions removed in 1.9 that now only raise (torch/_linalg_utils.py),
# and the small composites ATen writes with other ops (frobenius_norm,
# norm_except_dim, adjoint), so their nodes are those ops' nodes; the
# legacy tensor methods reinforce (removed), apply_, map_ and map2_.

import torch


def _tensor_arg(fn, name, position, value):
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be Tensor, "
                        f"not {type(value).__name__}")


def _int_arg(fn, name, position, value):
    if type(value) is not int:
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be int, "
                        f"not {type(value).__name__}")


def matrix_rank(input, tol=None, symmetric=False, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed.",
        "Please use the `torch.linalg.matrix_rank` function instead.",
    )


def solve(input, A, *, out=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. Please use the `torch.linalg.solve` function instead.",
    )


def eig(self, eigenvectors=False, *, e=None, v=None):
    raise RuntimeError(
        "This function was deprecated since version 1.9 and is now removed. Please use the `torch.linalg.eig` function instead.",
    )


def is_distributed(input):
    _tensor_arg('is_distributed', 'input', 1, input)
    return False


def adjoint(input):
    # the conjugate transpose of the last two dims (a view for real tensors); 0-d: itself
    _tensor_arg('adjoint', 'input', 1, input)
    if input.dim() == 1:
        raise RuntimeError("tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.")
    if input.dim() == 0:
        return input
    return input.transpose(-2, -1).conj()


def frobenius_norm(input, dim=None, keepdim=False):
    _tensor_arg('frobenius_norm', 'input', 1, input)
    if dim is None:
        if keepdim:
            return torch.norm(input, 2, (), True)
        return torch.norm(input)
    dims = [dim] if type(dim) is int else list(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions instead.")
    if len(dims) < 2:
        return torch.norm(input, 2, dims, keepdim)
    n = input.dim()
    wrapped = []
    for d in dims:
        lo, hi = -max(n, 1), max(n, 1) - 1
        if d < lo or d > hi:
            raise IndexError(f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {d})")
        wrapped.append(d + max(n, 1) if d < 0 else d)
    if wrapped[0] == wrapped[1]:
        raise RuntimeError(f"Expected dims to be different, got [{dims[0]}, {dims[1]}] instead")
    return torch.sqrt(torch.sum(input * input, wrapped, keepdim))


def norm_except_dim(v, pow=2, dim=0):
    _tensor_arg('norm_except_dim', 'v', 1, v)
    _int_arg('norm_except_dim', 'pow', 2, pow)
    _int_arg('norm_except_dim', 'dim', 3, dim)
    if dim == -1:
        return v.norm(pow)
    if dim == 0:
        size = [1] * v.dim()
        size[0] = v.size(0)
        return v.contiguous().view(v.size(0), -1).norm(pow, 1).view(size)
    if dim == v.dim() - 1:
        size = [1] * v.dim()
        size[-1] = v.size(-1)
        return v.contiguous().view(-1, v.size(-1)).norm(pow, 0).view(size)
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


def reinforce(self, reward):
    # Tensor.reinforce (torch/_tensor.py): removed, only raises
    raise RuntimeError("reinforce() was removed.\n"
                       "Use torch.distributions instead.\n"
                       "See https://pytorch.org/docs/master/distributions.html\n\n"
                       "Instead of:\n\n"
                       "probs = policy_network(state)\n"
                       "action = probs.multinomial()\n"
                       "next_state, reward = env.step(action)\n"
                       "action.reinforce(reward)\n"
                       "action.backward()\n\n"
                       "Use:\n\n"
                       "probs = policy_network(state)\n"
                       "# NOTE: categorical is equivalent to what used to be called multinomial\n"
                       "m = torch.distributions.Categorical(probs)\n"
                       "action = m.sample()\n"
                       "next_state, reward = env.step(action)\n"
                       "loss = -m.log_prob(action) * reward\n"
                       "loss.backward()\n")


# apply_, map_, map2_ (torch/csrc/utils/tensor_apply.cpp): fn called on
# Python numbers element by element in row-major order, its results
# stored as python_scalars.h's store_scalar converts them.
_INTEGRAL_LIMITS = {torch.uint8: ('uint8', 0, 255), torch.int8: ('int8', -128, 127),
                    torch.int16: ('int16', -32768, 32767), torch.int32: ('int32', -2147483648, 2147483647),
                    torch.int64: ('int64', -9223372036854775808, 9223372036854775807)}


def _unpack_double(obj):
    if isinstance(obj, (int, float, torch.Tensor)) or hasattr(obj, '__float__'):
        return float(obj)
    raise TypeError(f'must be real number, not {type(obj).__name__}')


def _unpack_long(obj):
    if isinstance(obj, int):
        return int(obj)
    if isinstance(obj, torch.Tensor) or hasattr(obj, '__index__'):
        return obj.__index__()
    raise TypeError(f"'{type(obj).__name__}' object cannot be interpreted as an integer")


def _store_scalar(obj, dtype):
    if dtype in _INTEGRAL_LIMITS:
        name, lo, hi = _INTEGRAL_LIMITS[dtype]
        if isinstance(obj, float):
            # c10::checked_convert<T>(double): NaN and infinities overflow
            if obj != obj or obj < lo or obj > hi:
                raise RuntimeError(f'value cannot be converted to type {name} without overflow')
            return int(obj)
        v = _unpack_long(obj)
        # negative values wrap into an unsigned type
        if v > hi or (lo == 0 and v < 0 and -v > hi) or (lo < 0 and v < lo):
            raise RuntimeError(f'value cannot be converted to type {name} without overflow')
        return v % 256 if lo == 0 else v
    if dtype == torch.bool:
        if isinstance(obj, float):
            return obj != 0
        return _unpack_long(obj) != 0
    return _unpack_double(obj)


def _apply_values(name, tensors, fn):
    self = tensors[0]
    rows = [t.tolist() for t in tensors]

    def walk(vals):
        if not isinstance(vals[0], list):
            return _store_scalar(fn(*vals), self.dtype)
        return [walk([v[i] for v in vals]) for i in range(len(vals[0]))]
    if self.numel() == 0:
        return self
    with torch.no_grad():
        self.copy_(torch.tensor(walk(rows), dtype=self.dtype))
    return self


def apply_(self, *args):
    if len(args) != 1:
        raise TypeError(f'_TensorBase.apply_() takes exactly one argument ({len(args)} given)')
    if self.requires_grad:
        raise RuntimeError("Can't call apply_() on Variable that requires grad. Use var.detach().apply_() instead.")
    if self.device.type != 'cpu':
        raise TypeError('apply_ is only implemented on CPU tensors')
    return _apply_values('apply_', [self], args[0])


def _map_other(name, self, other, arg):
    if other.type() != self.type():
        raise TypeError(f"{name}: expected {self.type()} for {arg} (got {other.type()})")
    return other.expand(self.shape)


_MISSING = object()


def _required(name, **args):
    missing = [f'"{k}"' for k, v in args.items() if v is _MISSING]
    if missing:
        raise TypeError(f'{name}() missing {len(missing)} required positional arguments: {", ".join(missing)}')


def map_(self, other=_MISSING, callable=_MISSING):
    _required('map_', other=other, callable=callable)
    if not isinstance(other, torch.Tensor):
        raise TypeError(f"map_(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    if self.requires_grad or other.requires_grad:
        raise RuntimeError("Can't call map_() on Variable that requires grad. Use var.detach().map_() instead.")
    other = _map_other('map_', self, other, "'other'")
    if self.device.type != 'cpu':
        raise TypeError('map_ is only implemented on CPU tensors')
    return _apply_values('map_', [self, other], callable)


def map2_(self, x=_MISSING, y=_MISSING, callable=_MISSING):
    _required('map2_', x=x, y=y, callable=callable)
    for i, (n, t) in enumerate((('x', x), ('y', y))):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"map2_(): argument '{n}' (position {i + 1}) must be Tensor, not {type(t).__name__}")
    if self.requires_grad or x.requires_grad or y.requires_grad:
        raise RuntimeError("Can't call map2_() on Variable that requires grad. Use var.detach().map2_() instead.")
    x = _map_other('map2_', self, x, "argument 'x'")
    y = _map_other('map2_', self, y, "argument 'y'")
    if self.device.type != 'cpu':
        raise TypeError('map2_ is only implemented on CPU tensors')
    return _apply_values('map2_', [self, x, y], callable)
