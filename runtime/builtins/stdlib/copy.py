"""copy: shallow and deep copies of lists, dicts, sets, tuples, instances
and tensors."""


class Error(Exception):
    pass




def _is_atomic(x):
    if x is None or isinstance(x, (int, float, bool, str, bytes, type)):
        return True
    # functions, classes and builtins are copied as themselves
    return callable(x) and not hasattr(x, "__call__")


def _fill(y, x, memo):
    # a dict or list subclass's items, after its __dict__, as copy's
    # _reconstruct adds them: y[key] = value and y.append(item)
    deep = memo is not None
    if isinstance(x, list):
        for item in list(x):
            y.append(deepcopy(item, memo) if deep else item)
    elif isinstance(x, dict):
        for k, v in list(x.items()):
            y[deepcopy(k, memo) if deep else k] = deepcopy(v, memo) if deep else v


def copy(x):
    if type(x) is list:
        return list(x)
    if type(x) is dict:
        return dict(x)
    if type(x) is bytearray:
        return bytearray(x)
    if isinstance(x, set):
        return set(x)
    if isinstance(x, (tuple, frozenset)) or _is_atomic(x):
        return x
    if torch.is_tensor(x):
        return x.clone()  # PyTorch's Tensor.__copy__ is not defined: copy.copy shares no storage either
    cp = getattr(x, "__copy__", None)
    if cp is not None:
        return cp()
    if hasattr(x, "__dict__"):
        y = object.__new__(type(x))
        y.__dict__.update(x.__dict__)
        _fill(y, x, None)
        return y
    return x


def deepcopy(x, memo=None):
    if memo is None:
        memo = {}
    key = id(x)
    if key in memo:
        return memo[key]
    if _is_atomic(x):
        return x
    if type(x) is list:
        y = []
        memo[key] = y
        for item in x:
            y.append(deepcopy(item, memo))
    elif type(x) is dict:
        y = {}
        memo[key] = y
        for k, v in x.items():
            y[deepcopy(k, memo)] = deepcopy(v, memo)
    elif type(x) is bytearray:
        y = bytearray(x)
    elif isinstance(x, set):
        y = {deepcopy(item, memo) for item in x}
    elif isinstance(x, frozenset):
        y = frozenset(deepcopy(item, memo) for item in x)
    elif isinstance(x, tuple):
        items = [deepcopy(item, memo) for item in x]
        # a tuple holding itself through a list was copied meanwhile
        if key in memo:
            return memo[key]
        y = x if all(a is b for a, b in zip(items, x)) else tuple(items)
    elif torch.is_tensor(x) and getattr(type(x), '__deepcopy__', None) is None:
        if type(x) is not torch.Tensor:  # nn.Parameter: its data copied, no grad
            y = type(x)(x.data.clone(), x.requires_grad)
        else:
            if not x.is_leaf:
                raise RuntimeError("Only Tensors created explicitly by the user "
                                   "(graph leaves) support the deepcopy protocol at the moment")
            y = x.detach().clone()
            if x.requires_grad:
                y.requires_grad_(True)
            if x.grad is not None:
                y.grad = deepcopy(x.grad, memo)
    elif hasattr(x, "__deepcopy__"):
        y = x.__deepcopy__(memo)
    elif hasattr(x, "__dict__"):
        y = object.__new__(type(x))
        memo[key] = y
        # the state goes into __dict__ as Python's copy does, past any
        # __setattr__ of the class
        for k, v in x.__dict__.items():
            y.__dict__[k] = deepcopy(v, memo)
        _fill(y, x, memo)
    else:
        y = x
    memo[key] = y
    return y
