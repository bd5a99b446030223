# torch.functional (part): the window functions of ATen's
# native/TensorFactories.cpp (hann, hamming, blackman, bartlett) and
# kaiser_window (its kernel in native/cpu/UnaryOpsKernel.cpp), with the ops
# and scalars ATen uses in its order, so the values are PyTorch's bits.

import math
import torch

_CPP_TYPE_NAMES = {torch.int64: 'long int', torch.int32: 'int', torch.int16: 'short int',
                   torch.int8: 'signed char', torch.uint8: 'unsigned char', torch.bool: 'bool'}


def _window_type_name(x):
    return 'Tensor' if isinstance(x, torch.Tensor) else type(x).__name__


def _window_args(name, window_length, periodic, dtype, device, requires_grad):
    if not isinstance(window_length, int) or isinstance(window_length, bool):
        raise TypeError(f"{name}(): argument 'window_length' (position 1) must be int, not "
                        f"{_window_type_name(window_length)}")
    if not isinstance(periodic, bool):
        raise TypeError(f'{name}() received an invalid combination of arguments - got (int, '
                        f'{_window_type_name(periodic)})')
    if dtype is None:
        dtype = torch.get_default_dtype()
    if not dtype.is_floating_point:
        dev = 'cpu' if device is None else str(torch.device(device))
        raise RuntimeError(f'{name} expects floating point dtypes, got: TensorOptions(dtype={_CPP_TYPE_NAMES[dtype]}, '
                           f'device={dev}, layout=Strided (default), requires_grad='
                           f"{'true' if requires_grad else 'false (default)'}, pinned_memory=false, "
                           f'memory_format=(nullopt))')
    if window_length < 0:
        raise RuntimeError(f'{name} requires non-negative window_length, got window_length={window_length}')
    return dtype


def _window_result(window, requires_grad):
    if requires_grad:
        window.requires_grad_()
    return window


def _window(name, window_length, periodic, dtype, device, requires_grad, body):
    dtype = _window_args(name, window_length, periodic, dtype, device, requires_grad)
    with torch.no_grad():
        if window_length == 0:
            window = torch.empty(0, dtype=dtype, device=device)
        elif window_length == 1:
            window = torch.ones(1, dtype=dtype, device=device)
        else:
            n = window_length + 1 if periodic else window_length
            window = body(n, dtype, device)
            if periodic:
                window = window.narrow(0, 0, n - 1)
    return _window_result(window, requires_grad)


def _hamming(alpha, beta):
    def body(n, dtype, device):
        window = torch.arange(n, dtype=dtype, device=device)
        return window.mul_(math.pi * 2. / (n - 1)).cos_().mul_(-beta).add_(alpha)
    return body


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None, layout=None,
                   device=None, pin_memory=False, requires_grad=False):
    return _window('hamming_window', window_length, periodic, dtype, device, requires_grad,
                   _hamming(float(alpha), float(beta)))


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None, pin_memory=False,
                requires_grad=False):
    return _window('hann_window', window_length, periodic, dtype, device, requires_grad, _hamming(0.5, 0.5))


def _blackman(n, dtype, device):
    window = torch.arange(n, dtype=dtype, device=device).mul_(math.pi / (n - 1))
    return window.mul(4).cos_().mul_(0.08) - window.mul(2).cos_().mul_(0.5) + 0.42


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    return _window('blackman_window', window_length, periodic, dtype, device, requires_grad, _blackman)


def _bartlett(n, dtype, device):
    window = torch.arange(n, dtype=dtype, device=device).mul_(2. / (n - 1))
    first_half_size = ((n - 1) >> 1) + 1
    window.narrow(0, first_half_size, n - first_half_size).mul_(-1).add_(2)
    return window


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    return _window('bartlett_window', window_length, periodic, dtype, device, requires_grad, _bartlett)


def _kaiser(beta):
    # opmath: float for float, float16 and bfloat16 (rounded once at the end)
    def body(n, dtype, device):
        op = torch.float64 if dtype == torch.float64 else torch.float32
        a = torch.arange(n, dtype=op, device=device)
        alpha = (n - 1) / 2.0
        t = (a - alpha) / alpha
        x = (1 - t.pow(2.0)).sqrt() * beta
        return (torch.i0(x) / torch.i0(torch.tensor(beta, dtype=op, device=device))).to(dtype)
    return body


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None, device=None,
                  pin_memory=False, requires_grad=False):
    return _window('kaiser_window', window_length, periodic, dtype, device, requires_grad, _kaiser(float(beta)))
