# torch.functional (part): torch's global flags as torch/__init__.py and
# torch._C keep them: deterministic algorithms and their debug mode,
# warn_always, anomaly mode's flags, the interop thread count, the float32
# matmul precision. tsr's algorithms are deterministic and run on one
# thread, so the flags are state that reads back as PyTorch's does.

import torch

_flags = {'deterministic': False, 'warn_only': False, 'warn_always': False, 'anomaly': False,
          'anomaly_check_nan': True, 'interop_threads': 1, 'interop_set': False, 'matmul_precision': 'highest'}


def _bool_arg(fn, name, position, value):
    if not isinstance(value, bool):
        where = f' (position {position})' if position else ''
        raise TypeError(f"{fn}(): argument '{name}'{where} must be bool, not {type(value).__name__}")


def use_deterministic_algorithms(mode, *, warn_only=False):
    _bool_arg('_set_deterministic_algorithms', 'mode', 1, mode)
    _bool_arg('_set_deterministic_algorithms', 'warn_only', 0, warn_only)
    _flags['deterministic'] = mode
    _flags['warn_only'] = warn_only


def are_deterministic_algorithms_enabled():
    return _flags['deterministic']


def is_deterministic_algorithms_warn_only_enabled():
    return _flags['warn_only']


def set_deterministic_debug_mode(debug_mode):
    if not isinstance(debug_mode, (int, str)):
        raise TypeError(f'debug_mode must be str or int, but got {type(debug_mode)}')
    if isinstance(debug_mode, str):
        if debug_mode == 'default':
            debug_mode = 0
        elif debug_mode == 'warn':
            debug_mode = 1
        elif debug_mode == 'error':
            debug_mode = 2
        else:
            raise RuntimeError('invalid value of debug_mode, expected one of `default`, `warn`, `error`, but got '
                               f'{debug_mode}')
    if debug_mode == 0:
        use_deterministic_algorithms(False)
    elif debug_mode == 1:
        use_deterministic_algorithms(True, warn_only=True)
    elif debug_mode == 2:
        use_deterministic_algorithms(True)
    else:
        raise RuntimeError(f'invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}')


def get_deterministic_debug_mode():
    if _flags['deterministic']:
        return 1 if _flags['warn_only'] else 2
    return 0


def set_warn_always(b):
    if not isinstance(b, bool):
        raise RuntimeError(f'setWarnOnlyOnce expects a bool, but got {type(b).__name__}')
    _flags['warn_always'] = b


def is_warn_always_enabled():
    return _flags['warn_always']


def set_anomaly_enabled(enabled, check_nan=True):
    _bool_arg('set_anomaly_enabled', 'enabled', 1, enabled)
    _bool_arg('set_anomaly_enabled', 'check_nan', 2, check_nan)
    _flags['anomaly'] = enabled
    _flags['anomaly_check_nan'] = check_nan


def is_anomaly_enabled():
    return _flags['anomaly']


def is_anomaly_check_nan_enabled():
    return _flags['anomaly_check_nan']


def set_num_interop_threads(n):
    if not isinstance(n, int) or isinstance(n, bool):
        raise RuntimeError(f'set_num_interop_threads expects an int, but got {type(n).__name__}')
    if n <= 0:
        raise RuntimeError('set_num_interop_threads expects a positive integer')
    # PyTorch aborts the process here; tsr raises its message instead
    if _flags['interop_set']:
        raise RuntimeError('Error: cannot set number of interop threads after parallel work has started or '
                           'set_num_interop_threads called')
    _flags['interop_set'] = True
    _flags['interop_threads'] = n


def get_num_interop_threads():
    return _flags['interop_threads']


def set_float32_matmul_precision(precision):
    if not isinstance(precision, str):
        raise RuntimeError(f'set_float32_matmul_precision expects a str, but got {type(precision).__name__}')
    # another string: PyTorch logs a warning (glog) and changes nothing
    if precision in ('highest', 'high', 'medium'):
        _flags['matmul_precision'] = precision


def get_float32_matmul_precision():
    return _flags['matmul_precision']
