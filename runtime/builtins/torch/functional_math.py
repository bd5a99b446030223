# torch.functional (part): the math functions ATen composes from other ops
# (ATen's native/TensorCompare.cpp, Pow.cpp, BinaryOps.cpp, RangeFactories.cpp,
# ReduceOps.cpp's sum_to_size): isin, float_power, ldexp, range and
# Tensor.sum_to_size. Each calls the ops ATen's composite calls, so results
# record PyTorch's nodes (ToCopyBackward0, PowBackward0, MulBackward0,
# SumBackward1).

import torch


def _number(x):
    return isinstance(x, (int, float, bool)) and not isinstance(x, torch.Tensor)


def _type_name(x):
    return 'Tensor' if isinstance(x, torch.Tensor) else type(x).__name__


_OVERLOADS = {
    'isin': ' * (Tensor elements, Tensor test_elements, *, bool assume_unique, bool invert, Tensor out)'
            ' * (Number element, Tensor test_elements, *, bool assume_unique, bool invert, Tensor out)'
            ' * (Tensor elements, Number test_element, *, bool assume_unique, bool invert, Tensor out)',
    'float_power': ' * (Tensor input, Tensor exponent, *, Tensor out)'
                   ' * (Number self, Tensor exponent, *, Tensor out)'
                   ' * (Tensor input, Number exponent, *, Tensor out)',
}


def _invalid_args(fn, args, kwargs):
    # PyTorch's multi-line message as its last line prints it (joined)
    got = [_type_name(a) for a in args] + [f'{k}={_type_name(v)}' for k, v in kwargs.items()]
    raise TypeError(f"{fn}() received an invalid combination of arguments - got ({', '.join(got)}), "
                    f"but expected one of:{_OVERLOADS[fn]}")


def _check_isin_dtype(t):
    if t.dtype == torch.bool or t.dtype == torch.bfloat16:
        name = 'Bool' if t.dtype == torch.bool else 'BFloat16'
        raise RuntimeError(f'Unsupported input type encountered for isin(): {name}')


def isin(*args, **kwargs):
    names = ('elements', 'test_elements')
    values = list(args[:2])
    rest = dict(kwargs)
    for name, alt in (('elements', 'element'), ('test_elements', 'test_element')):
        if len(values) < 2 and len(values) == names.index(name):
            for key in (name, alt):
                if key in rest:
                    values.append(rest.pop(key))
                    break
    assume_unique = rest.pop('assume_unique', False)
    invert = rest.pop('invert', False)
    out = rest.pop('out', None)
    if len(args) > 2 or len(values) != 2 or rest or not isinstance(assume_unique, bool) or \
            not isinstance(invert, bool):
        _invalid_args('isin', args, kwargs)
    elements, test = values
    if not isinstance(elements, torch.Tensor) and not isinstance(test, torch.Tensor):
        _invalid_args('isin', args, kwargs)
    if not isinstance(elements, torch.Tensor):
        if not _number(elements):
            _invalid_args('isin', args, kwargs)
        _check_isin_dtype(test)
        elements = torch.tensor(elements, device=test.device)
    elif not isinstance(test, torch.Tensor):
        if not _number(test):
            _invalid_args('isin', args, kwargs)
        _check_isin_dtype(elements)
        result = elements == test
        if invert:
            result = result.logical_not()
        return _out(result, out)
    else:
        _check_isin_dtype(elements)
        _check_isin_dtype(test)
        if elements.numel() > 0:
            # ATen's kernels: isin_default_cpu for few test elements (numpy's
            # heuristic), else the sorting path through _unique2
            few = test.numel() < int(10.0 * elements.numel() ** 0.145)
            common = torch.empty(0, dtype=torch.result_type(elements, test), device=test.device)
            torch._reduced_float_check("isin" if few else "_unique2", common)
    result = (elements.unsqueeze(-1) == test.flatten()).any(-1)
    if invert:
        result = result.logical_not()
    return _out(result, out)


def _out(result, out):
    if out is None:
        return result
    out.resize_(result.shape)
    out.copy_(result)
    return out


def float_power(input, exponent, *, out=None):
    # double, or complex128 when either operand is complex
    cplx = any(type(v) is type(1j) or (isinstance(v, torch.Tensor) and v.is_complex()) for v in (input, exponent))
    dt = torch.complex128 if cplx else torch.float64
    if isinstance(input, torch.Tensor):
        base = input.to(dt)
        if isinstance(exponent, torch.Tensor):
            exponent = exponent.to(dt)
        elif not (_number(exponent) or type(exponent) is type(1j)):
            _invalid_args('float_power', (input, exponent), {})
    elif isinstance(exponent, torch.Tensor) and (_number(input) or type(input) is type(1j)):
        base = input
        exponent = exponent.to(dt)
    else:
        _invalid_args('float_power', (input, exponent), {})
    return _out(torch.pow(base, exponent), out)


def float_power_(input, exponent):
    if input.dtype != torch.float64:
        raise RuntimeError(f"the base given to float_power_ has dtype {_dtype_name(input.dtype)} but the "
                           f"operation's result requires dtype Double")
    if isinstance(exponent, torch.Tensor):
        exponent = exponent.to(torch.float64)
    return input.pow_(exponent)


def _dtype_name(dtype):
    return {torch.float32: 'Float', torch.float64: 'Double', torch.float16: 'Half', torch.bfloat16: 'BFloat16',
            torch.int64: 'Long', torch.int32: 'Int', torch.int16: 'Short', torch.int8: 'Char',
            torch.uint8: 'Byte', torch.bool: 'Bool'}[dtype]


def _ldexp_args(input, other):
    for name, position, value in (('input', 1, input), ('other', 2, other)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"ldexp(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{type(value).__name__}")


def ldexp(input, other, *, out=None):
    _ldexp_args(input, other)
    return _out(torch.mul(input, torch.pow(2.0, other)), out)


def ldexp_(input, other):
    _ldexp_args(input, other)
    return input.mul_(torch.pow(2.0, other))


# torch.range (torch_python.c's renamed[]: `range` would hide the builtin
# from every file of torch.functional)
def torch_range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    if end is None:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    import warnings
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values "
                  "in [start, end).", UserWarning, stacklevel=2)
    if dtype is None:
        dtype = torch.get_default_dtype()
    floating = dtype.is_floating_point
    if floating:
        xstart, xend, xstep = float(start), float(end), float(step)
    else:
        xstart, xend, xstep = int(start), int(end), int(step)
    if floating and not (abs(xstart) < float('inf') and abs(xend) < float('inf')):
        raise RuntimeError(f'unsupported range: {xstart} -> {xend}')
    if xstep == 0:
        raise RuntimeError('step must be nonzero')
    if not ((xstep > 0 and xend >= xstart) or (xstep < 0 and xend <= xstart)):
        raise RuntimeError('upper bound and lower bound inconsistent with step sign')
    if floating:
        # ATen's accumulate type on the CPU: double, float for float16/bfloat16
        acc = torch.float64 if dtype in (torch.float32, torch.float64) else torch.float32
        size = int((xend - xstart) / xstep + 1)
    else:
        size = int((xend - xstart) / xstep) + 1
        acc = torch.int64
    with torch.no_grad():
        result = (torch.arange(size, dtype=acc, device=device) * xstep + xstart).to(dtype)
    if requires_grad:
        result.requires_grad_()
    return _out(result, out)


def sum_to_size(self, *size):
    if len(size) == 1 and isinstance(size[0], (list, tuple, torch.Size)):
        size = tuple(size[0])
    if len(size) == 0:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    shape = list(size)
    sizes = list(self.shape)
    expandable = len(shape) <= len(sizes)
    i = 0
    while expandable and i < len(shape):
        expandable = shape[-1 - i] == sizes[-1 - i] or shape[-1 - i] == 1
        i += 1
    if not expandable:
        raise RuntimeError(f'size {{{shape}}} is not expandable to size {{{sizes}}}.')
    leading = len(sizes) - len(shape)
    dims = []
    while len(dims) < leading:
        dims.append(len(dims))
    i = leading
    while i < len(sizes):
        if shape[i - leading] == 1 and sizes[i] != 1:
            dims.append(i)
        i += 1
    result = self
    if dims:
        result = result.sum(dims, keepdim=True)
    if leading > 0:
        result = result.view(shape)
    return result
