# torch.stft / torch.istft (and Tensor.stft / istft): torch/functional.py's
# centre padding, then ATen's native/SpectralOps.cpp stft and istft with
# the ops it calls in its order (as_strided frames times the window, the
# r2c / c2c / c2r transforms of torch.fft, col2im's overlap-add in its
# order), so the values are PyTorch's bits. The files of torch.functional
# share one namespace: this one's private names start with _stft_.

import torch


_stft_warned = set()


def _stft_type_name(t):
    # Tensor::toString(): "torch.FloatTensor" on the CPU
    return ('torch.cuda.' if t.device.type == 'cuda' else 'torch.') + _SCALAR_NAMES[t.dtype] + 'Tensor'


def _stft_backend_name(t):
    # the backend type name istft's messages print: "CPUComplexFloatType"
    return ('CUDA' if t.device.type == 'cuda' else 'CPU') + _SCALAR_NAMES[t.dtype] + 'Type'


def _stft_sizes(t):
    return '[' + ', '.join(str(s) for s in t.shape) + ']'


def _stft_opt(v):
    if v is None:
        return 'None'
    if isinstance(v, bool):
        return '1' if v else '0'
    return str(v)


def _stft_window_repr(window):
    return 'None' if window is None else _stft_type_name(window) + '{' + _stft_sizes(window) + '}'


def _stft_lengths(fn, self, window, n_fft, hop_length, win_length):
    # the defaults (hop n_fft / 4, window n_fft) and the window's device
    if window is not None and window.device != self.device:
        raise RuntimeError(f'{fn} input and window must be on the same device but got self on {self.device} '
                           f'and window on {window.device}')
    return (n_fft >> 2 if hop_length is None else hop_length), (n_fft if win_length is None else win_length)


def _stft_check_args(fn, input, ints):
    # the parser's types: input a Tensor, ints [(name, value, position)]
    # ints or None
    if not isinstance(input, torch.Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    for name, v, pos in ints:
        if v is not None and (not isinstance(v, int) or isinstance(v, bool)):
            raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be int, not {type(v).__name__}")


def stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode='reflect',
         normalized=False, onesided=None, return_complex=None):
    _stft_check_args('stft', input, [('n_fft', n_fft, 2), ('hop_length', hop_length, 3),
                                     ('win_length', win_length, 4)])
    if center:
        signal_dim = input.dim()
        extended_shape = [1] * (3 - signal_dim) + list(input.size())
        pad = int(n_fft // 2)
        v = input.view(extended_shape)
        if v.is_complex():
            # the parts padded alike (tsr's pad has no complex loop)
            pad_fn = torch.nn.functional.pad
            input = torch.complex(pad_fn(v.real, [pad, pad], pad_mode), pad_fn(v.imag, [pad, pad], pad_mode))
        else:
            input = torch.nn.functional.pad(v, [pad, pad], pad_mode)
        input = input.view(input.shape[-signal_dim:])
    return _stft(input, n_fft, hop_length, win_length, window, normalized, onesided, return_complex)


def _stft(self, n_fft, hop_length_opt, win_length_opt, window, normalized, onesided_opt, return_complex_opt):
    hop_length, win_length = _stft_lengths('stft', self, window, n_fft, hop_length_opt, win_length_opt)

    def repr_():
        return (f'stft({_stft_type_name(self)}{_stft_sizes(self)}, n_fft={n_fft}, hop_length={hop_length}, '
                f'win_length={win_length}, window={_stft_window_repr(window)}, '
                f'normalized={_stft_opt(bool(normalized))}, onesided={_stft_opt(onesided_opt)}, '
                f'return_complex={_stft_opt(return_complex_opt)}) ')

    return_complex = return_complex_opt
    if return_complex is None:
        return_complex = self.is_complex() or (window is not None and window.is_complex())
    if not return_complex and return_complex_opt is None and 'stft' not in _stft_warned:
        _stft_warned.add('stft')
        _warn('functional.py', 632, 'return _VF.stft(input, n_fft, hop_length, win_length, window,  '
              '# type: ignore[attr-defined]',
              'stft will soon require the return_complex parameter be given for real inputs, and will further '
              'require that return_complex=True in a future PyTorch release. (Triggered internally at  '
              './aten/src/ATen/native/SpectralOps.cpp:801.)')
    if not self.is_floating_point() and not self.is_complex():
        raise RuntimeError(repr_() + ': expected a tensor of floating point or complex values')
    if self.dim() > 2 or self.dim() < 1:
        raise RuntimeError(repr_() + ': expected a 1D or 2D tensor')
    input = self
    if self.dim() == 1:
        input = input.unsqueeze(0)
    batch = input.size(0)
    length = input.size(1)
    if n_fft <= 0 or n_fft > length:
        raise RuntimeError(repr_() + f': expected 0 < n_fft < {length}, but got n_fft={win_length}')
    if hop_length <= 0:
        raise RuntimeError(repr_() + f': expected hop_length > 0, but got hop_length={hop_length}')
    if win_length <= 0 or win_length > n_fft:
        raise RuntimeError(repr_() + f': expected 0 < win_length <= n_fft, but got win_length={win_length}')
    if window is not None and (window.dim() != 1 or window.size(0) != win_length):
        raise RuntimeError(repr_() + f': expected a 1D window tensor of size equal to win_length={win_length}, '
                           f'but got window with size {_stft_sizes(window)}')
    window_ = window
    if win_length < n_fft:
        left = (n_fft - win_length) // 2
        if window is not None:
            window_ = torch.zeros(n_fft, dtype=window.dtype, device=window.device)
            window_.narrow(0, left, win_length).copy_(window)
        else:
            window_ = torch.zeros(n_fft, dtype=self.dtype, device=self.device)
            window_.narrow(0, left, win_length).fill_(1)
    n_frames = 1 + (length - n_fft) // hop_length
    if input.is_complex():
        # the same frames through the real view (as_strided of the parts)
        r = torch.view_as_real(input)
        input = torch.view_as_complex(r.as_strided((batch, n_frames, n_fft, 2),
                                                   (r.stride(0), hop_length * r.stride(1), r.stride(1), 1),
                                                   r.storage_offset()))
    else:
        input = input.as_strided((batch, n_frames, n_fft), (input.stride(0), hop_length * input.stride(1),
                                                            input.stride(1)), input.storage_offset())
    if window_ is not None:
        input = input.mul(window_)
    complex_fft = input.is_complex()
    onesided = (not complex_fft) if onesided_opt is None else onesided_opt
    norm = 'ortho' if normalized else 'backward'
    if complex_fft:
        if onesided:
            raise RuntimeError('Cannot have onesided output if window or input is complex')
        out = torch.fft.fft(input, dim=-1, norm=norm)
    elif onesided:
        out = torch.fft.rfft(input, dim=-1, norm=norm)
    else:
        out = torch.fft.fft(input, dim=-1, norm=norm)
    out.transpose_(1, 2)      # in place as ATen (TransposeBackward1, SqueezeBackward3)
    if self.dim() == 1:
        out.squeeze_(0)
    if return_complex:
        return out
    return torch.view_as_real(out)


def _stft_overlap_add(frames, hop, total):
    # col2im with kernel (1, n_fft) and stride (1, hop): from zero, each
    # kernel offset k in turn adds every frame's element k
    y = torch.zeros(frames.size(0), total, dtype=frames.dtype, device=frames.device)
    n_frames = frames.size(1)
    for k in range(frames.size(2)):
        y[:, k:k + hop * (n_frames - 1) + 1:hop] += frames[:, :, k]
    return y


def istft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, normalized=False,
          onesided=None, length=None, return_complex=False):
    _stft_check_args('istft', input, [('n_fft', n_fft, 2), ('hop_length', hop_length, 3),
                                      ('win_length', win_length, 4), ('length', length, 9)])
    self = input
    hop_length, win_length = _stft_lengths('istft', self, window, n_fft, hop_length, win_length)

    def repr_():
        return (f'istft({_stft_backend_name(self)}{_stft_sizes(self)}, n_fft={n_fft}, hop_length={hop_length}, '
                f'win_length={win_length}, window={_stft_window_repr(window)}, center={_stft_opt(bool(center))}, '
                f'normalized={_stft_opt(bool(normalized))}, onesided={_stft_opt(onesided)}, '
                f'length={_stft_opt(length)}, '
                f'return_complex={_stft_opt(bool(return_complex))}) ')

    if not self.is_complex():
        if 'istft' not in _stft_warned:
            _stft_warned.add('istft')
            import warnings
            warnings.warn('istft will require a complex-valued input tensor in a future PyTorch release. Matching '
                          'the output from stft with return_complex=True.  (Triggered internally at  '
                          './aten/src/ATen/native/SpectralOps.cpp:978.)', UserWarning, stacklevel=2)
        inp = self
    else:
        inp = torch.view_as_real(self)
    input_dim = inp.dim()
    n_frames = inp.size(-2)
    fft_size = inp.size(-3)
    expected_len = n_fft + hop_length * (n_frames - 1)
    if inp.numel() == 0:
        raise RuntimeError(repr_() + ': input tensor cannot be empty.')
    if input_dim != 3 and input_dim != 4:
        raise RuntimeError(repr_() + f': expected a tensor with 3 or 4 dimensions of complex, but got {input_dim}')
    if inp.size(-1) != 2:
        raise RuntimeError(repr_() + ': expected the last dimension to be 2 (corresponding to real and imaginary '
                           f'parts), but got {inp.size(-1)}')
    onesided_ = (fft_size != n_fft) if onesided is None else onesided
    if onesided_:
        if n_fft // 2 + 1 != fft_size:
            raise RuntimeError(repr_() + ': expected the frequency dimension (3rd to the last) of the input tensor '
                               f'to match n_fft / 2 + 1 when onsided=True, but got {fft_size}')
    elif n_fft != fft_size:
        raise RuntimeError(repr_() + ': expected the frequency dimension (3rd to the last) of the input tensor to '
                           f'match n_fft when onsided=False, but got {fft_size}')
    if not (0 < hop_length and hop_length <= win_length):
        raise RuntimeError(repr_() + ': expected 0 < hop_length <= win_length')
    if not (0 < win_length and win_length <= n_fft):
        raise RuntimeError(repr_() + ': expected 0 < win_length <= n_fft')
    if window is not None and (window.dim() != 1 or window.size(0) != win_length):
        raise RuntimeError(repr_() + ': Invalid window shape. window has to be 1D and length of `win_length`')
    window_tmp = window if window is not None else torch.ones(win_length, dtype=inp.dtype, device=inp.device)
    if win_length != n_fft:
        left = (n_fft - win_length) // 2
        window_tmp = torch.nn.functional.pad(window_tmp, [left, n_fft - win_length - left])
    if input_dim == 3:
        inp = inp.unsqueeze(0)
    inp = torch.view_as_complex(inp.transpose(1, 2).contiguous())
    if return_complex:
        if onesided_:
            raise RuntimeError('Cannot have onesided output if window or input is complex')
        norm = 'ortho' if normalized else 'backward'
        inp = torch.fft.ifft(inp, dim=-1, norm=norm)
    else:
        if window is not None and window.is_complex():
            raise RuntimeError('Complex windows are incompatible with return_complex=False')
        if not onesided_:
            inp = inp.narrow(-1, 0, n_fft // 2 + 1)
        norm = 'ortho' if normalized else 'backward'
        inp = torch.fft.irfft(inp, n=n_fft, dim=-1, norm=norm)
    y_tmp = inp * window_tmp.view(1, 1, n_fft)
    y = _stft_overlap_add(y_tmp, hop_length, expected_len)
    window_env = _stft_overlap_add(window_tmp.pow(2).expand(1, n_frames, n_fft), hop_length, expected_len)
    start = n_fft // 2 if center else 0
    if length is not None:
        end = start + length
    elif center:
        end = -(n_fft // 2)
    else:
        end = expected_len
    y = y[:, start:end]
    window_env = window_env[:, start:end]
    lowest = window_env.abs().min().lt(1e-11)
    if lowest.item():
        # the 0-dim bool tensor as C++'s operator<< prints it
        dev = 'CUDA' if lowest.device.type == 'cuda' else 'CPU'
        raise RuntimeError(repr_() + 'window overlap add min: 1\n[ ' + dev + 'BoolType{} ]')
    y = y / window_env
    if input_dim == 3:
        y = y.squeeze(0)
    if end > expected_len:
        if 'istft_len' not in _stft_warned:
            _stft_warned.add('istft_len')
            import warnings
            warnings.warn('The length of signal is shorter than the length parameter. Result is being padded with '
                          'zeros in the tail. Please check your center and hop_length settings. (Triggered '
                          'internally at  ./aten/src/ATen/native/SpectralOps.cpp:1117.)', UserWarning, stacklevel=2)
        y = torch.nn.functional.pad(y, [0, end - expected_len])
    return y
