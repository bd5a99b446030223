# torch.storage: TypedStorage, UntypedStorage and the legacy <type>Storage
# classes, as PyTorch 1.13's torch/storage.py defines them. A storage here
# holds a 1-D tensor over all the bytes of a tensor's storage
# (torch._storage_view), of its dtype for a TypedStorage and of uint8 for
# an UntypedStorage, so a storage and every tensor viewing it share their
# elements, data_ptr and device.

import torch

_LEGACY_NAMES = {
    torch.float64: 'DoubleStorage', torch.float32: 'FloatStorage', torch.float16: 'HalfStorage',
    torch.int64: 'LongStorage', torch.int32: 'IntStorage', torch.int16: 'ShortStorage',
    torch.int8: 'CharStorage', torch.uint8: 'ByteStorage', torch.bool: 'BoolStorage',
    torch.bfloat16: 'BFloat16Storage',
}


def _wrap_index(idx, size):
    if type(idx) != int:
        raise TypeError(f"can't index a {TypedStorage} with {type(idx)}")
    if idx >= size or idx < -size:
        raise IndexError(f'index {idx} out of range for storage of size {size}')
    return idx % size


def _storage_str(s, head):
    info_str = f'[{head}(device={s.device}) of size {len(s)}]' if head == 'torch.storage.UntypedStorage' \
        else f'[{head}(dtype={s.dtype}, device={s.device}) of size {len(s)}]'
    data_str = ' ' + '\n '.join(str(s[i]) for i in range(s.size()))
    return data_str + '\n' + info_str


class _StorageBase:
    # what both storages do with their tensor

    @property
    def device(self):
        return self._t.device

    @property
    def is_cuda(self):
        return self._t.device.type == 'cuda'

    def __len__(self):
        return self._t.numel()

    def size(self):
        return self._t.numel()

    def nbytes(self):
        return self._t.numel() * self._t.element_size()

    def element_size(self):
        return self._t.element_size()

    def data_ptr(self):
        return self._t.data_ptr()

    def is_shared(self):
        return False

    def is_pinned(self):
        return False

    def get_device(self):
        return self._t.get_device()

    def __iter__(self):
        return iter([self[i] for i in range(self.size())])

    def tolist(self):
        return list(self)

    def __repr__(self):
        return str(self)

    def clone(self):
        return type(self)(_tensor=self._t.clone())

    def cpu(self):
        return self if self._t.device.type == 'cpu' else type(self)(_tensor=self._t.cpu())

    def cuda(self, device=None, non_blocking=False):
        return type(self)(_tensor=self._t.cuda(device))

    def fill_(self, value):
        self._t.fill_(value)
        return self


class UntypedStorage(_StorageBase):
    def __init__(self, *args, device=None, _tensor=None):
        if _tensor is None:
            if len(args) == 1 and type(args[0]) == int:
                _tensor = torch.zeros(args[0], dtype=torch.uint8, device=device)
            elif len(args) == 1:
                _tensor = torch.tensor(args[0], dtype=torch.uint8, device=device)
            elif len(args) == 0:
                _tensor = torch.zeros(0, dtype=torch.uint8, device=device)
            else:
                raise TypeError('UntypedStorage(): too many positional arguments')
        self._t = _tensor

    def type(self, dtype=None, non_blocking=False):
        return 'torch.storage.UntypedStorage'

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            if idx.step is not None and idx.step != 1:
                raise RuntimeError(f'Trying to slice with a step of {idx.step}, but only a step of 1 is supported')
            return UntypedStorage(_tensor=self._t[idx])
        return self._t[_wrap_index(idx, self.size())].item()

    def __setitem__(self, idx, value):
        self._t[idx] = value

    def __str__(self):
        return _storage_str(self, 'torch.storage.UntypedStorage')

    def copy_(self, source, non_blocking=None):
        self._t.copy_(source._t)
        return self


class TypedStorage(_StorageBase):
    is_sparse = False

    def __init__(self, *args, device=None, dtype=None, wrap_storage=None, _tensor=None):
        if _tensor is None:
            if dtype is None:
                dtype = torch.get_default_dtype()
            if wrap_storage is not None:
                _tensor = torch._storage_view(wrap_storage._t, dtype)
            elif len(args) == 1 and type(args[0]) == int:
                _tensor = torch.zeros(args[0], dtype=dtype, device=device)
            elif len(args) == 1:
                _tensor = torch.tensor(args[0], dtype=dtype, device=device)
            elif len(args) == 0:
                _tensor = torch.zeros(0, dtype=dtype, device=device)
            else:
                raise RuntimeError('TypedStorage(): too many positional arguments')
        self._t = _tensor
        self.dtype = _tensor.dtype

    def untyped(self):
        return UntypedStorage(_tensor=torch._storage_view(self._t, torch.uint8))

    def type(self, dtype=None, non_blocking=False):
        name = _LEGACY_NAMES.get(self.dtype)
        if name is None:
            return 'torch.storage.TypedStorage'
        return ('torch.cuda.' if self.is_cuda else 'torch.') + name

    def pickle_storage_type(self):
        return _LEGACY_NAMES[self.dtype]

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise RuntimeError('slices are only supported in UntypedStorage.__getitem__')
        elif not isinstance(idx, int):
            raise RuntimeError(f"can't index a {type(self)} with {type(idx)}")
        return self._t[_wrap_index(idx, self.size())].item()

    def __setitem__(self, idx, value):
        if not isinstance(idx, (int, slice)):
            raise RuntimeError(f"can't index a {type(self)} with {type(idx)}")
        if is_storage(value):
            raise RuntimeError(f'cannot set item with value type {type(value)}')
        self._t[idx] = value

    def __str__(self):
        return _storage_str(self, 'torch.storage.TypedStorage')

    def copy_(self, source, non_blocking=None):
        self.untyped().copy_(source.untyped())
        return self

    def resize_(self, size):
        raise RuntimeError('tsr: storages cannot be resized')

    def _to(self, dtype):
        return TypedStorage(_tensor=self._t.to(dtype))

    def double(self):
        return self._to(torch.double)

    def float(self):
        return self._to(torch.float)

    def half(self):
        return self._to(torch.half)

    def long(self):
        return self._to(torch.long)

    def int(self):
        return self._to(torch.int)

    def short(self):
        return self._to(torch.short)

    def char(self):
        return self._to(torch.int8)

    def byte(self):
        return self._to(torch.uint8)

    def bool(self):
        return self._to(torch.bool)

    def bfloat16(self):
        return self._to(torch.bfloat16)


def is_storage(obj):
    return type(obj) in (TypedStorage, UntypedStorage)


def typename(o):
    # torch.typename (torch/_utils.py)
    if isinstance(o, torch.Tensor):
        return o.type()
    module = ''
    if hasattr(o, '__module__') and o.__module__ != 'builtins' and o.__module__ is not None:
        module = o.__module__ + '.'
    if hasattr(o, '__qualname__'):
        class_name = o.__qualname__
    elif hasattr(o, '__name__'):
        class_name = o.__name__
    else:
        class_name = o.__class__.__name__
    return module + class_name


def _typed_storage(tensor):
    # x.storage() (storage.c)
    return TypedStorage(_tensor=torch._storage_view(tensor, tensor.dtype))


def storage_type(tensor):
    # x.storage_type(): the legacy class of its dtype (torch.FloatStorage)
    name = _LEGACY_NAMES.get(tensor.dtype)
    if name is None:
        return TypedStorage
    return getattr(torch, name)


# the legacy classes: torch.FloatStorage(...) makes a TypedStorage of their dtype
class _LegacyStorage(TypedStorage):
    def __new__(cls, *args, device=None, wrap_storage=None):
        return TypedStorage(*args, device=device, dtype=cls.dtype, wrap_storage=wrap_storage)


class DoubleStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.float64


class FloatStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.float32


class HalfStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.float16


class LongStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.int64


class IntStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.int32


class ShortStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.int16


class CharStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.int8


class ByteStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.uint8


class BoolStorage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.bool


class BFloat16Storage(_LegacyStorage):
    __module__ = 'torch'
    dtype = torch.bfloat16
