# The losses PyTorch 1.13 composes from other ops, in Python
# (gaussian_nll_loss, multilabel_soft_margin_loss,
# triplet_margin_with_distance_loss) or as ATen composites in Loss.cpp
# (poisson_nll_loss, triplet_margin_loss): written the same way here, so
# values and grad_fn names are PyTorch's.
import math
import torch


def _legacy(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return 'mean' if size_average and reduce else 'sum' if reduce else 'none'


def _check_reduction(reduction):
    if reduction != 'none' and reduction != 'mean' and reduction != 'sum':
        raise ValueError(reduction + ' is not valid')


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction='mean'):
    reduction = _legacy(size_average, reduce, reduction)
    _check_reduction(reduction)
    # Loss.cpp's expressions, their operands made right to left as GCC
    # evaluates them (the order of the nodes orders the backward)
    if log_input:
        prod = target * input
        loss = torch.exp(input) - prod
    else:
        loss = input - target * torch.log(input + eps)
    if full:
        half_log = 0.5 * torch.log(2 * math.pi * target)
        stirling_term = target * torch.log(target) - target + half_log
        loss += stirling_term.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean'):
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = torch.unsqueeze(var, -1)
        elif input.size()[:-1] == var.size()[:-1] and var.size(-1) == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    _check_reduction(reduction)
    if torch.any(var < 0):
        raise ValueError("var has negative entry/entries")
    var = var.clone()
    with torch.no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (torch.log(var) + (input - target) ** 2 / var)
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction='mean'):
    reduction = _legacy(size_average, reduce, reduction)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    C = input.size(class_dim)
    loss = loss.sum(dim=class_dim) / C
    _check_reduction(reduction)
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction='mean'):
    reduction = _legacy(size_average, reduce, reduction)
    a_dim = anchor.dim()
    p_dim = positive.dim()
    n_dim = negative.dim()
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError("All inputs should have same dimension but got {}D, {}D and {}D inputs.".format(
            a_dim, p_dim, n_dim))
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_swap = pairwise_distance(positive, negative, p, eps)
        dist_neg = torch.min(dist_neg, dist_swap)
    output = torch.clamp_min(margin + dist_pos - dist_neg, 0)
    return _reduce(output, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None, margin=1.0,
                                      swap=False, reduction='mean'):
    if distance_function is None:
        distance_function = pairwise_distance
    positive_dist = distance_function(anchor, positive)
    negative_dist = distance_function(anchor, negative)
    if swap:
        swap_dist = distance_function(positive, negative)
        negative_dist = torch.min(negative_dist, swap_dist)
    output = torch.clamp(positive_dist - negative_dist + margin, min=0.0)
    if reduction == 'mean':
        return output.mean()
    elif reduction == 'sum':
        return output.sum()
    elif reduction == 'none':
        return output
    raise ValueError("{} is not a valid value for reduction".format(reduction))
