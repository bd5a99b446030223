# The torch.nn.functional functions PyTorch writes as compositions of other
# ops (in functional.py or as ATen composites), written the same way here
# so values and grad_fn names follow. F's own ops are C (builtins/nn.c).
# One below stands in for an ATen op with a node of its own
# (soft_margin_loss): its values are PyTorch's, its grad_fn names are
# those of the parts.
import math
import torch


def _legacy_get_string(size_average, reduce):
    # torch.nn._reduction.legacy_get_string, with its warning from there
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    ret = 'mean' if size_average and reduce else 'sum' if reduce else 'none'
    torch.functional._warn('nn/_reduction.py', 42, 'warnings.warn(warning.format(ret))',
                           "size_average and reduce args will be deprecated, please use reduction='{}' "
                           "instead.".format(ret))
    return ret


def _reduce(output, reduction, size_average=None, reduce=None):
    if size_average is not None or reduce is not None:
        reduction = _legacy_get_string(size_average, reduce)
    if reduction == 'elementwise_mean':
        torch.functional._warn('nn/_reduction.py', 13, 'warnings.warn("reduction=\'elementwise_mean\' is '
                               'deprecated, please use reduction=\'mean\' instead.")',
                               "reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.")
        reduction = 'mean'
    if reduction == 'mean':
        return output.mean()
    if reduction == 'sum':
        return output.sum()
    if reduction == 'none':
        return output
    raise ValueError("{} is not a valid value for reduction".format(reduction))


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError("dropout probability has to be between 0 and 1, but got {}".format(p))


def tanhshrink(input):
    return input - input.tanh()


def softsign(input):
    return input / (input.abs() + 1)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction='mean'):
    return _reduce(torch.log1p(torch.exp(-input * target)), reduction, size_average, reduce)


def _get_enum(reduction):
    # torch.nn._reduction.get_enum
    if reduction == 'none':
        return 0
    if reduction == 'mean':
        return 1
    if reduction == 'elementwise_mean':
        torch.functional._warn('nn/_reduction.py', 13, 'warnings.warn("reduction=\'elementwise_mean\' is '
                               'deprecated, please use reduction=\'mean\' instead.")',
                               "reduction='elementwise_mean' is deprecated, please use reduction='mean' instead.")
        return 1
    if reduction == 'sum':
        return 2
    raise ValueError("{} is not a valid value for reduction".format(reduction))


def kl_div(input, target, size_average=None, reduce=None, reduction='mean', log_target=False):
    # 1.13: torch.kl_div (xlogy(target, target) - target * input, reduced)
    if size_average is not None or reduce is not None:
        reduction_enum = _get_enum(_legacy_get_string(size_average, reduce))
    else:
        if reduction == 'mean':
            torch.functional._warn('nn/functional.py', 2916, 'warnings.warn(',
                                   "reduction: 'mean' divides the total loss by both the batch size and the support "
                                   "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
                                   "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
                                   "major release.")
        reduction_enum = 2 if reduction == 'batchmean' else _get_enum(reduction)
    reduced = torch.kl_div(input, target, reduction_enum, log_target=log_target)
    if reduction == 'batchmean' and input.dim() != 0:
        reduced = reduced / input.size()[0]
    return reduced


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'):
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            "margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            "input1: {}, input2: {}, target: {} ".format(input1.size(), input2.size(), target.size()))
    output = (-target * (input1 - input2) + margin).clamp_min(0)
    return _reduce(output, reduction, size_average, reduce)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'):
    zeros = torch.zeros_like(input)
    margin_clamp = (margin - input).clamp_min(0)
    output_margin = torch.where(target != 1, margin_clamp, zeros)
    output_self = torch.where(target != -1, input, zeros)
    return _reduce(output_margin + output_self, reduction, size_average, reduce)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction='mean'):
    targ_dim = target.dim()
    if targ_dim != 1 and targ_dim != 0:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if targ_dim == 1 and not (input1.dim() == 2 and input2.dim() == 2):
        raise RuntimeError("1D target tensor expects 2D input tensors, but found inputs with sizes {} and {}.".format(
            list(input1.size()), list(input2.size())))
    if targ_dim == 0 and not (input1.dim() == 1 and input2.dim() == 1):
        raise RuntimeError("0D target tensor expects 1D input tensors, but found inputs with sizes {} and {}.".format(
            list(input1.size()), list(input2.size())))
    prod_sum = (input1 * input2).sum(targ_dim)
    mag_square1 = (input1 * input1).sum(targ_dim) + 1e-12
    mag_square2 = (input2 * input2).sum(targ_dim) + 1e-12
    denom = (mag_square1 * mag_square2).sqrt()
    cos = prod_sum / denom
    zeros = torch.zeros_like(cos)
    pos = 1 - cos
    neg = (cos - margin).clamp_min(0)
    output = torch.where(target == 1, pos, zeros) + torch.where(target == -1, neg, zeros)
    return _reduce(output, reduction, size_average, reduce)


def _feature_dropout(input, p, training, inplace):
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        return input.mul_(torch.zeros((), dtype=input.dtype)) if inplace else input * torch.zeros((), dtype=input.dtype)
    noise = input.new_empty([input.size(0), input.size(1)] + [1] * (input.dim() - 2))
    noise.bernoulli_(1 - p)
    noise.div_(1 - p)
    return input.mul_(noise) if inplace else input * noise


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    if p < 0.0 or p > 1.0:
        raise ValueError("dropout probability has to be between 0 and 1, but got {}".format(p))
    if inplace:
        return torch.feature_alpha_dropout_(input, p, training)
    return torch.feature_alpha_dropout(input, p, training)


def celu_(input, alpha=1.0):
    return torch.celu_(input, alpha)


def selu_(input):
    return torch.selu_(input)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    # functional.py's: Gumbel(0, 1) noise as -log(Exp(1)) draws
    if eps != 1e-10:
        torch.functional._warn('nn/functional.py', 1890,
                               'warnings.warn("`eps` parameter is deprecated and has no effect.")',
                               "`eps` parameter is deprecated and has no effect.")
    gumbels = -torch.empty_like(logits).exponential_().log()
    gumbels = (logits + gumbels) / tau
    y_soft = gumbels.softmax(dim)
    if hard:
        index = y_soft.max(dim, keepdim=True)[1]
        y_hard = torch.zeros_like(logits).scatter_(dim, index, 1.0)
        return y_hard - y_soft.detach() + y_soft
    return y_soft


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    if mode != "bilinear" and mode != "nearest" and mode != "bicubic":
        raise ValueError("nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         "but got: '{}'".format(mode))
    if padding_mode != "zeros" and padding_mode != "border" and padding_mode != "reflection":
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         "'reflection', but got: '{}'".format(padding_mode))
    mode_enum = 0 if mode == "bilinear" else 1 if mode == "nearest" else 2
    padding_mode_enum = 0 if padding_mode == "zeros" else 1 if padding_mode == "border" else 2
    if align_corners is None:
        message = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                   "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                   "grid_sample for details.")
        torch.functional._warn('nn/functional.py', 4227, 'warnings.warn(', message)
        align_corners = False
    return torch.grid_sampler(input, grid, mode_enum, padding_mode_enum, align_corners)


def affine_grid(theta, size, align_corners=None):
    if align_corners is None:
        message = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                   "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                   "grid_sample for details.")
        torch.functional._warn('nn/functional.py', 4289, 'warnings.warn(', message)
        align_corners = False
    if not theta.is_floating_point():
        raise ValueError("Expected theta to have floating point type, but got {}".format(theta.dtype))
    if len(size) == 4:
        if theta.dim() != 3 or theta.shape[-2] != 2 or theta.shape[-1] != 3:
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size {}. Got {}.".format(
                size, theta.shape))
        spatial_size = size[-2:]
    elif len(size) == 5:
        if theta.dim() != 3 or theta.shape[-2] != 3 or theta.shape[-1] != 4:
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size {}. Got {}.".format(
                size, theta.shape))
        spatial_size = size[-3:]
    else:
        raise NotImplementedError("affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  "respectively. Got size {}.".format(size))
    if align_corners and min(spatial_size) == 1:
        message = ("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                   "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
                   "of affine_grid for details.")
        torch.functional._warn('nn/functional.py', 4323, 'warnings.warn(', message)
    elif min(size) <= 0:
        raise ValueError("Expected non-zero, positive output size. Got {}".format(size))
    return torch.affine_grid_generator(theta, size, align_corners)


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
                  sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    # functional.py's checks, then torch.embedding_bag's first result
    if weight.dtype == torch.long and input.is_floating_point():
        message = ("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, input, "
                   "...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.")
        torch.functional._warn('nn/functional.py', 2325, 'warnings.warn(', message)
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError("embedding_bag: If per_sample_weights ({}) is not None, then it must have the same shape as "
                         "the input ({})".format(per_sample_weights.shape, input.shape))
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             "fixed length sequences. However, found offsets of type {}".format(str(type(offsets))))
        offsets = torch.arange(0, input.numel(), input.size(1), dtype=input.dtype, device=input.device)
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError("input has to be 1D or 2D Tensor, but got Tensor of dimension {}".format(input.dim()))
    if mode == "sum":
        mode_enum = 0
    elif mode == "mean":
        mode_enum = 1
    elif mode == "max":
        mode_enum = 2
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    else:
        raise ValueError("mode has to be one of sum, mean or max")
    if max_norm is not None:
        with torch.no_grad():
            torch.embedding_renorm_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  "supported for mode='sum' (got mode='{}'). Please open a feature request on "
                                  "GitHub.".format(mode))
    ret, _, _, _ = torch.embedding_bag(weight, input, offsets, scale_grad_by_freq, mode_enum, sparse,
                                       per_sample_weights, include_last_offset, padding_idx)
    return ret


def dropout1d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
                           "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
                           "spatial dimension, a channel dimension, and an optional batch dimension "
                           "(i.e. 2D or 3D inputs).")
    if inp_dim == 2:
        return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)
    return _feature_dropout(input, p, training, inplace)


def dropout2d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        message = ("dropout2d: Received a {}-D input to dropout2d, which is deprecated "
                   "and will result in an error in a future release. To retain the behavior "
                   "and silence this warning, please use dropout instead. Note that dropout2d "
                   "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
                   "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).".format(inp_dim))
        torch.functional._warn('nn/functional.py', 1331, 'warnings.warn(warn_msg)', message)
    if inp_dim == 3:
        message = ("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
                   "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
                   "is the channel dim. This behavior will change in a future release to interpret the "
                   "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
                   "channel-wise dropout behavior, please switch to using dropout1d instead.")
        torch.functional._warn('nn/functional.py', 1338, 'warnings.warn("dropout2d: Received a 3D input to '
                               'dropout2d and assuming that channel-wise "', message)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        message = ("dropout3d: Received a {}-D input to dropout3d, which is deprecated "
                   "and will result in an error in a future release. To retain the behavior "
                   "and silence this warning, please use dropout instead. Note that dropout3d "
                   "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
                   "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).".format(inp_dim))
        torch.functional._warn('nn/functional.py', 1375, 'warnings.warn(warn_msg)', message)
    if inp_dim == 5:
        return _feature_dropout(input, p, training, inplace)
    if inplace:
        input.unsqueeze_(0)
        return _feature_dropout(input, p, training, inplace).squeeze_(0)
    return _feature_dropout(input.unsqueeze(0), p, training, inplace).squeeze(0)


def tanh(input):
    torch.functional._warn('nn/functional.py', 1956,
                           'warnings.warn("nn.functional.tanh is deprecated. Use torch.tanh instead.")',
                           "nn.functional.tanh is deprecated. Use torch.tanh instead.")
    return input.tanh()


def sigmoid(input):
    torch.functional._warn('nn/functional.py', 1967,
                           'warnings.warn("nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.")',
                           "nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.")
    return input.sigmoid()


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    _check_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        return input * torch.zeros((), dtype=input.dtype)
    noise = torch.empty_like(input)
    noise.bernoulli_(1 - p)
    alpha = 1.7580993408473766
    a = 1. / math.sqrt((alpha * alpha * p + 1) * (1 - p))
    b = noise.add(-1).mul_(alpha * a).add_(alpha * a * p)
    noise.mul_(a)
    return (input * noise).add_(b)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    # at::pairwise_distance: the norm over the innermost dim of the broadcast
    innermost = max(x1.dim(), x2.dim()) - 1
    return torch.norm(x1 - x2 + eps, p, innermost, keepdim)


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    # torch.instance_norm (1.13's Normalization.cpp): batch_norm over a
    # (1, b * c, ...) view, its running statistics averaged back over b
    if use_input_stats:
        size = input.size()
        prods = 1
        for i in range(2, len(size)):
            prods *= size[i]
        if prods == 1:
            raise ValueError("Expected more than 1 spatial element when training, got input size {}".format(size))
    elif running_mean is None or running_var is None:
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    b, c = input.size(0), input.size(1)
    shape = [1, b * c] + list(input.shape[2:])
    weight_ = weight.repeat(b) if weight is not None else None
    bias_ = bias.repeat(b) if bias is not None else None
    mean_ = running_mean.repeat(b) if running_mean is not None else None
    var_ = running_var.repeat(b) if running_var is not None else None
    out = batch_norm(input.contiguous().view(shape), mean_, var_, weight_, bias_, use_input_stats, momentum, eps)
    with torch.no_grad():
        if running_mean is not None:
            running_mean.copy_(mean_.view(b, c).mean(0, False))
        if running_var is not None:
            running_var.copy_(var_.view(b, c).mean(0, False))
    return out.view(input.shape)


def rrelu(input, lower=1. / 8, upper=1. / 3, training=False, inplace=False):
    # torch.rrelu_ (RreluWithNoiseBackward1) is written as a copy of
    # torch.rrelu's result: the values are PyTorch's, the node CopyBackwards
    out = torch.rrelu(input, lower, upper, training)
    return input.copy_(out) if inplace else out


def rrelu_(input, lower=1. / 8, upper=1. / 3, training=False):
    return rrelu(input, lower, upper, training, True)


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    # 1.13's composition; its avg_pool3d over (size, 1, 1) windows for
    # inputs of 4 and more dims is the same average as avg_pool2d over
    # (size, 1) windows of the spatial dims flattened to one (each window
    # sums the same values in the same order, then divides by size)
    dim = input.dim()
    if dim < 3:
        # 1.13's message carries its source line's continuation spaces
        raise ValueError("Expected 3D or higher dimensionality " + " " * 25 + "input (got {} dimensions)".format(dim))
    if input.numel() == 0:
        return input
    div = input.mul(input).unsqueeze(1)
    if dim == 3:
        div = torch.nn.functional.pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = torch.nn.functional.avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], -1)
        div = torch.nn.functional.pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = torch.nn.functional.avg_pool2d(div, (size, 1), stride=1).squeeze(1)
        div = div.view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


def _upsample_warn(line, name):
    message = 'nn.functional.{} is deprecated. Use nn.functional.interpolate instead.'.format(name)
    torch.functional._warn('nn/functional.py', line, 'warnings.warn("{}")'.format(message), message)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    _upsample_warn(3734, 'upsample')
    return torch.nn.functional.interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    _upsample_warn(4014, 'upsample_nearest')
    return torch.nn.functional.interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    _upsample_warn(4070, 'upsample_bilinear')
    return torch.nn.functional.interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    if isinstance(kernel_size, (list, tuple)):
        kw, kh = kernel_size
    else:
        kw, kh = kernel_size, kernel_size
    F = torch.nn.functional
    if stride is not None:
        out = F.avg_pool2d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = F.avg_pool2d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (torch.sign(out) * F.relu(torch.abs(out))).mul(kw * kh).pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    F = torch.nn.functional
    if stride is not None:
        out = F.avg_pool1d(input.pow(norm_type), kernel_size, stride, 0, ceil_mode)
    else:
        out = F.avg_pool1d(input.pow(norm_type), kernel_size, padding=0, ceil_mode=ceil_mode)
    return (torch.sign(out) * F.relu(torch.abs(out))).mul(kernel_size).pow(1.0 / norm_type)


def _ntuple(x, n):
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return tuple([x] * n)


def _unpool_output_size(input, kernel_size, stride, padding, output_size):
    input_size = input.size()
    default_size = []
    for d in range(len(kernel_size)):
        default_size.append((input_size[-len(kernel_size) + d] - 1) * stride[d] + kernel_size[d] - 2 * padding[d])
    if output_size is None:
        ret = default_size
    else:
        if len(output_size) == len(kernel_size) + 2:
            output_size = output_size[2:]
        if len(output_size) != len(kernel_size):
            raise ValueError(
                "output_size should be a sequence containing "
                "{} or {} elements, but it has a length of '{}'".format(
                    len(kernel_size), len(kernel_size) + 2, len(output_size)))
        for d in range(len(kernel_size)):
            min_size = default_size[d] - stride[d]
            max_size = default_size[d] + stride[d]
            if not (min_size < output_size[d] < max_size):
                raise ValueError('invalid output_size "{}" (dim {} must be between {} and {})'.format(
                    output_size, d, min_size, max_size))
        ret = output_size
    return ret


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel_size = _ntuple(kernel_size, 1)
    _stride = _ntuple(stride, 1) if stride is not None else kernel_size
    padding = _ntuple(padding, 1)
    output_size = _unpool_output_size(input, kernel_size, _stride, padding, output_size)
    if isinstance(output_size, list):
        output_size = output_size + [1]
    else:
        output_size = output_size + (1,)
    return torch.nn.functional._max_unpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), output_size).squeeze(-1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel_size = _ntuple(kernel_size, 2)
    _stride = _ntuple(stride, 2) if stride is not None else kernel_size
    padding = _ntuple(padding, 2)
    output_size = _unpool_output_size(input, kernel_size, _stride, padding, output_size)
    return torch.nn.functional._max_unpool2d(input, indices, output_size)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    kernel_size = _ntuple(kernel_size, 3)
    _stride = _ntuple(stride, 3) if stride is not None else kernel_size
    padding = _ntuple(padding, 3)
    output_size = _unpool_output_size(input, kernel_size, _stride, padding, output_size)
    return torch.nn.functional._max_unpool3d(input, indices, output_size, _stride, padding)


def _frac_pool(input, kernel_size, output_size, output_ratio, return_indices, _random_samples, dims):
    # 1.13's fractional_max_pool{2,3}d_with_indices: the output size from
    # the ratio, the samples drawn from the global generator
    if output_size is None and output_ratio is None:
        raise ValueError("fractional_max_pool{}d requires specifying either an output_size or an "
                         "output_ratio".format(dims))
    if output_size is None:
        _output_ratio = _ntuple(output_ratio, dims)
        output_size = [int(input.size(i - dims) * _output_ratio[i]) for i in range(dims)]
    if _random_samples is None:
        n_batch = 1 if input.dim() == dims + 1 else input.size(0)
        _random_samples = torch.rand(n_batch, input.size(-dims - 1), dims, dtype=input.dtype, device=input.device)
    out = _fractional_max_pool(input, kernel_size, output_size, _random_samples, dims)
    return out if return_indices else out[0]


def fractional_max_pool2d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _frac_pool(input, kernel_size, output_size, output_ratio, True, _random_samples, 2)


def fractional_max_pool2d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    return _frac_pool(input, kernel_size, output_size, output_ratio, return_indices, _random_samples, 2)


def fractional_max_pool3d_with_indices(input, kernel_size, output_size=None, output_ratio=None,
                                       return_indices=False, _random_samples=None):
    return _frac_pool(input, kernel_size, output_size, output_ratio, True, _random_samples, 3)


def fractional_max_pool3d(input, kernel_size, output_size=None, output_ratio=None, return_indices=False,
                          _random_samples=None):
    return _frac_pool(input, kernel_size, output_size, output_ratio, return_indices, _random_samples, 3)
