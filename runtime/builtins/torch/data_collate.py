# default_collate and default_convert: how a DataLoader turns a list of
# samples into a batch (PyTorch 1.13's _utils/collate.py). tsr's
# namedtuples are not tuple subclasses, so they are recognised by their
# _fields.
import torch


def _is_mapping(x):
    # collections.abc.Mapping: dict and its subclasses (OrderedDict,
    # defaultdict, Counter)
    return isinstance(x, dict)


def _is_namedtuple(x):
    return hasattr(x, '_fields') and not isinstance(x, type)


# collections.abc.Sequence, strings aside (tsr's range is a function, so
# its type is taken from a range)
_sequence_types = (list, tuple, type(range(0)))


def _rebuild(elem_type, items):
    # elem_type(items), or the plain container where the type will not
    # take one (PyTorch's `except TypeError` fallback)
    try:
        return elem_type(items)
    except TypeError:
        return items


def default_convert(data):
    elem_type = type(data)
    if isinstance(data, torch.Tensor):
        return data
    elif _is_mapping(data):
        return _rebuild(elem_type, {key: default_convert(data[key]) for key in data})
    elif _is_namedtuple(data):
        return elem_type(*(default_convert(d) for d in data))
    elif isinstance(data, tuple):
        return [default_convert(d) for d in data]
    elif isinstance(data, _sequence_types):
        return _rebuild(elem_type, [default_convert(d) for d in data])
    else:
        return data


default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, "
    "dicts or lists; found {}")


def _collate(batch, *, collate_fn_map=None):
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)
    if _is_mapping(elem):
        return _rebuild(elem_type, {key: _collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                                    for key in elem})
    elif _is_namedtuple(elem):
        return elem_type(*(_collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    elif isinstance(elem, _sequence_types):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(elem) == elem_size for elem in it):
            raise RuntimeError('each element in list of batch should be of equal size')
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [_collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        return _rebuild(elem_type, [_collate(samples, collate_fn_map=collate_fn_map) for samples in transposed])
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch, *, collate_fn_map=None):
    return torch.stack(batch, 0)


def collate_float_fn(batch, *, collate_fn_map=None):
    return torch.tensor(batch, dtype=torch.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return torch.tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map = {torch.Tensor: collate_tensor_fn, float: collate_float_fn,
                          int: collate_int_fn, (str,): collate_str_fn}


def default_collate(batch):
    return _collate(batch, collate_fn_map=default_collate_fn_map)
