# torch.nn.parameter's UninitializedParameter and UninitializedBuffer: the
# placeholders of the lazy modules (nn_lazy.py) until their first call
# fixes the shapes. tsr's Parameter is a built-in type, so these are plain
# objects that a lazy module replaces by a real Parameter (or tensor) when
# it materialises them, rather than tensors that change class in place.
import torch


class UninitializedTensorMixin:
    cls_to_become = None
    grad_fn = None
    is_leaf = True

    def __init__(self, requires_grad=False, device=None, dtype=None):
        self.requires_grad = requires_grad
        self._device = device
        self._dtype = dtype
        self.grad = None

    def materialize(self, shape, device=None, dtype=None):
        # a new tensor of that shape (empty, as PyTorch's); the lazy module
        # puts it in place of this placeholder
        if device is None:
            device = self._device
        if dtype is None:
            dtype = self._dtype
        data = torch.empty(shape, device=device, dtype=dtype)
        if self.cls_to_become is None:
            return data
        return self.cls_to_become(data, self.requires_grad)

    @property
    def shape(self):
        raise RuntimeError(
            'Can\'t access the shape of an uninitialized parameter or buffer. '
            'This error usually happens in `load_state_dict` when trying to load '
            'an uninitialized parameter into an initialized one. '
            'Call `forward` to initialize the parameters before accessing their attributes.')

    def size(self, dim=None):
        # an allowed method: the placeholder is an empty tensor
        return torch.Size([0]) if dim is None else torch.Size([0])[dim]

    def __repr__(self):
        return '<{}>'.format(self.__class__.__name__)

    def detach(self):
        return self

    def is_floating_point(self):
        return (self._dtype or torch.get_default_dtype()).is_floating_point

    def _converted(self, dtype=None, device=None):
        if dtype is not None:
            self._dtype = dtype
        if device is not None:
            self._device = device
        return self

    def float(self):
        return self._converted(torch.float32)

    def double(self):
        return self._converted(torch.float64)

    def half(self):
        return self._converted(torch.float16)

    def bfloat16(self):
        return self._converted(torch.bfloat16)

    def cuda(self, device=None):
        return self._converted(device=torch.device('cuda') if device is None else device)

    def cpu(self):
        return self._converted(device=torch.device('cpu'))

    def type(self, dst_type=None):
        return self

    def to(self, *args, **kwargs):
        dtype = kwargs.get('dtype')
        device = kwargs.get('device')
        for a in args:
            if isinstance(a, torch.dtype):
                dtype = a
            elif isinstance(a, (str, torch.device)):
                device = a
            elif isinstance(a, torch.Tensor):
                dtype, device = a.dtype, a.device
        return self._converted(dtype, device)


class UninitializedParameter(UninitializedTensorMixin):
    cls_to_become = Parameter

    def __init__(self, requires_grad=True, device=None, dtype=None):
        super().__init__(requires_grad, device, dtype)


class UninitializedBuffer(UninitializedTensorMixin):
    cls_to_become = None

    def __init__(self, requires_grad=False, device=None, dtype=None):
        super().__init__(requires_grad, device, dtype)
