# numpy/fft.py: np.fft, numpy 1.24's numpy/fft/_pocketfft.py (the
# transforms' lengths, axes, padding and norms) and numpy/fft/helper.py
# (fftshift, ifftshift, fftfreq, rfftfreq) over the module's C core,
# fft._execute (numpy_fft.c: _pocketfft_internal's execute). It runs into
# the numpy module's members at `import numpy` and fills np.fft.


def _fft_functions(_execute):
    def _raw_fft(a, n, axis, is_real, is_forward, inv_norm):
        axis = _axis(axis, a.ndim)
        if n is None:
            n = a.shape[axis]
        fct = 1 / inv_norm
        if a.shape[axis] != n:
            s = list(a.shape)
            index = [slice(None)] * len(s)
            if s[axis] > n:
                index[axis] = slice(0, n)
                a = a[tuple(index)]
            else:
                index[axis] = slice(0, s[axis])
                s[axis] = n
                z = zeros(s, a.dtype)
                z[tuple(index)] = a
                a = z
        if axis == a.ndim - 1:
            r = _execute(a, is_real, is_forward, fct, 70)  # numpy's line, for its warning
        else:
            a = swapaxes(a, axis, -1)
            r = _execute(a, is_real, is_forward, fct, 73)
            r = swapaxes(r, axis, -1)
        return r

    def _get_forward_norm(n, norm):
        if n < 1:
            raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
        if norm is None or norm == "backward":
            return 1
        elif norm == "ortho":
            return sqrt(n)
        elif norm == "forward":
            return n
        raise ValueError(f'Invalid norm value {norm}; should be "backward","ortho" or "forward".')

    def _get_backward_norm(n, norm):
        if n < 1:
            raise ValueError(f"Invalid number of FFT data points ({n}) specified.")
        if norm is None or norm == "backward":
            return n
        elif norm == "ortho":
            return sqrt(n)
        elif norm == "forward":
            return 1
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".')

    _SWAP_DIRECTION_MAP = {"backward": "forward", None: "forward", "ortho": "ortho", "forward": "backward"}

    def _swap_direction(norm):
        try:
            return _SWAP_DIRECTION_MAP[norm]
        except KeyError:
            raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".') from None

    def fft(a, n=None, axis=-1, norm=None):
        a = asarray(a)
        if n is None:
            n = a.shape[axis]
        return _raw_fft(a, n, axis, False, True, _get_forward_norm(n, norm))

    def ifft(a, n=None, axis=-1, norm=None):
        a = asarray(a)
        if n is None:
            n = a.shape[axis]
        return _raw_fft(a, n, axis, False, False, _get_backward_norm(n, norm))

    def rfft(a, n=None, axis=-1, norm=None):
        a = asarray(a)
        if n is None:
            n = a.shape[axis]
        return _raw_fft(a, n, axis, True, True, _get_forward_norm(n, norm))

    def irfft(a, n=None, axis=-1, norm=None):
        a = asarray(a)
        if n is None:
            n = (a.shape[axis] - 1) * 2
        return _raw_fft(a, n, axis, True, False, _get_backward_norm(n, norm))

    def hfft(a, n=None, axis=-1, norm=None):
        a = asarray(a)
        if n is None:
            n = (a.shape[axis] - 1) * 2
        new_norm = _swap_direction(norm)
        return irfft(conjugate(a), n, axis, norm=new_norm)

    def ihfft(a, n=None, axis=-1, norm=None):
        a = asarray(a)
        if n is None:
            n = a.shape[axis]
        new_norm = _swap_direction(norm)
        return conjugate(rfft(a, n, axis, norm=new_norm))

    def _cook_nd_args(a, s=None, axes=None, invreal=0):
        if s is None:
            shapeless = 1
            if axes is None:
                s = list(a.shape)
            else:
                s = take(a.shape, axes)
        else:
            shapeless = 0
        s = list(s)
        if axes is None:
            axes = list(range(-len(s), 0))
        if len(s) != len(axes):
            raise ValueError("Shape and axes have different lengths.")
        if invreal and shapeless:
            s[-1] = (a.shape[axes[-1]] - 1) * 2
        return s, axes

    def _raw_fftnd(a, s=None, axes=None, function=fft, norm=None):
        a = asarray(a)
        s, axes = _cook_nd_args(a, s, axes)
        itl = list(range(len(axes)))
        itl.reverse()
        for ii in itl:
            a = function(a, n=s[ii], axis=axes[ii], norm=norm)
        return a

    def fftn(a, s=None, axes=None, norm=None):
        return _raw_fftnd(a, s, axes, fft, norm)

    def ifftn(a, s=None, axes=None, norm=None):
        return _raw_fftnd(a, s, axes, ifft, norm)

    def fft2(a, s=None, axes=(-2, -1), norm=None):
        return _raw_fftnd(a, s, axes, fft, norm)

    def ifft2(a, s=None, axes=(-2, -1), norm=None):
        return _raw_fftnd(a, s, axes, ifft, norm)

    def rfftn(a, s=None, axes=None, norm=None):
        a = asarray(a)
        s, axes = _cook_nd_args(a, s, axes)
        a = rfft(a, s[-1], axes[-1], norm)
        for ii in range(len(axes) - 1):
            a = fft(a, s[ii], axes[ii], norm)
        return a

    def rfft2(a, s=None, axes=(-2, -1), norm=None):
        return rfftn(a, s, axes, norm)

    def irfftn(a, s=None, axes=None, norm=None):
        a = asarray(a)
        s, axes = _cook_nd_args(a, s, axes, invreal=1)
        for ii in range(len(axes) - 1):
            a = ifft(a, s[ii], axes[ii], norm)
        return irfft(a, s[-1], axes[-1], norm)

    def irfft2(a, s=None, axes=(-2, -1), norm=None):
        return irfftn(a, s, axes, norm)

    integer_types = (int, int64, int32, int16, int8, uint8)  # int and np.integer

    def fftshift(x, axes=None):
        x = asarray(x)
        if axes is None:
            axes = tuple(range(x.ndim))
            shift = [dim // 2 for dim in x.shape]
        elif isinstance(axes, integer_types):
            shift = x.shape[axes] // 2
        else:
            shift = [x.shape[ax] // 2 for ax in axes]
        return roll(x, shift, axes)

    def ifftshift(x, axes=None):
        x = asarray(x)
        if axes is None:
            axes = tuple(range(x.ndim))
            shift = [-(dim // 2) for dim in x.shape]
        elif isinstance(axes, integer_types):
            shift = -(x.shape[axes] // 2)
        else:
            shift = [-(x.shape[ax] // 2) for ax in axes]
        return roll(x, shift, axes)

    def fftfreq(n, d=1.0):
        if not isinstance(n, integer_types):
            raise ValueError("n should be an integer")
        val = 1.0 / (n * d)
        results = empty(n, int)
        N = (n - 1) // 2 + 1
        p1 = arange(0, N, dtype=int)
        results[:N] = p1
        p2 = arange(-(n // 2), 0, dtype=int)
        results[N:] = p2
        return results * val

    def rfftfreq(n, d=1.0):
        if not isinstance(n, integer_types):
            raise ValueError("n should be an integer")
        val = 1.0 / (n * d)
        N = n // 2 + 1
        results = arange(0, N, dtype=int)
        return results * val

    return (fft, ifft, rfft, irfft, hfft, ihfft, fftn, ifftn, fft2, ifft2, rfftn, rfft2, irfftn, irfft2,
            fftshift, ifftshift, fftfreq, rfftfreq)


(fft.fft, fft.ifft, fft.rfft, fft.irfft, fft.hfft, fft.ihfft, fft.fftn, fft.ifftn, fft.fft2, fft.ifft2,
 fft.rfftn, fft.rfft2, fft.irfftn, fft.irfft2, fft.fftshift, fft.ifftshift, fft.fftfreq,
 fft.rfftfreq) = _fft_functions(fft._execute)
del _fft_functions
