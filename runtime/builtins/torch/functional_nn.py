# torch.functional (part): the torch.NAME forms of nn.functional's ops with
# ATen's positional signatures (torch.dropout(input, p, train),
# torch.kl_div(input, target, reduction=1), reduction an int: 0 none,
# 1 mean, 2 sum; PyTorch 1.13's binding reads the default, "Mean", as 0).
# nn.functional calls these in PyTorch, so each is the F function (the same
# nodes) or ATen's composite written with the same ops.

import math
import torch
import torch.nn.functional as F

_REDUCTIONS = {0: 'none', 1: 'mean', 2: 'sum'}


def _reduction(reduction):
    return _REDUCTIONS.get(reduction, 'none')


def selu(input):
    return F.selu(input)


def selu_(input):
    return F.selu(input, inplace=True)


def celu(input, alpha=1.0):
    return F.celu(input, alpha)


def celu_(input, alpha=1.0):
    return F.celu(input, alpha, inplace=True)


def rrelu_(input, lower=1. / 8, upper=1. / 3, training=False, generator=None):
    return F.rrelu(input, lower, upper, training, inplace=True)


def dropout(input, p, train):
    return F.dropout(input, p, train)


def dropout_(input, p, train):
    return F.dropout(input, p, train, inplace=True)


def alpha_dropout(input, p, train):
    return F.alpha_dropout(input, p, train)


def alpha_dropout_(input, p, train):
    return F.alpha_dropout(input, p, train, inplace=True)


# ATen's _dropout_impl<feature_dropout=true>: one draw per (batch, channel)
def _feature_dropout(input, p, train, alpha, inplace):
    if p < 0 or p > 1:
        raise RuntimeError(f'dropout probability has to be between 0 and 1, but got {p}')
    if p == 0 or not train or input.numel() == 0:
        return input
    if p == 1:
        zero = torch.zeros((), dtype=input.dtype, device=input.device)
        return input.mul_(zero) if inplace else input.mul(zero)
    if input.dim() < 2:
        raise RuntimeError('Feature dropout requires at least 2 dimensions in the input')
    shape = [input.shape[0], input.shape[1]] + [1] * (input.dim() - 2)
    noise = torch.empty(shape, dtype=input.dtype, device=input.device)
    noise.bernoulli_(1 - p)
    if alpha:
        a_const = 1.7580993408473766
        a = 1. / math.sqrt((a_const * a_const * p + 1) * (1 - p))
        b = noise.add(-1).mul_(a_const * a).add_(a_const * a * p)
        noise.mul_(a)
        out = input.mul_(noise) if inplace else input.mul(noise)
        return out.add_(b)
    noise.div_(1 - p)
    return input.mul_(noise) if inplace else input.mul(noise)


def feature_dropout(input, p, train):
    return _feature_dropout(input, p, train, False, False)


def feature_dropout_(input, p, train):
    return _feature_dropout(input, p, train, False, True)


def feature_alpha_dropout(input, p, train):
    return _feature_dropout(input, p, train, True, False)


def feature_alpha_dropout_(input, p, train):
    return _feature_dropout(input, p, train, True, True)


def kl_div(input, target, reduction=0, *, log_target=False):
    # Loss.cpp's at::exp(target) * (target - input) and at::xlogy(target,
    # target) - target * input, whose operands GCC evaluates right to left:
    # the right-hand node is recorded first, which orders the backward
    if log_target:
        diff = target - input
        output = torch.exp(target) * diff
    else:
        prod = target * input
        output = torch.xlogy(target, target) - prod
    if reduction == 1:
        return output.mean()
    if reduction == 2:
        return output.sum()
    return output


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    return F.cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(x1, x2, p=2., eps=1e-6, keepdim=False):
    return F.pairwise_distance(x1, x2, p, eps, keepdim)


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    return F.margin_ranking_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def hinge_embedding_loss(input, target, margin=1.0, reduction=0):
    return F.hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2., eps=1e-6, swap=False, reduction=0):
    return F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction=_reduction(reduction))


def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    return F.poisson_nll_loss(input, target, log_input, full, eps=eps, reduction=_reduction(reduction))


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    return F.cosine_embedding_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):
    return F.binary_cross_entropy_with_logits(input, target, weight, reduction=_reduction(reduction),
                                              pos_weight=pos_weight)


def constant_pad_nd(input, pad, value=0):
    return F.pad(input, list(pad), 'constant', value)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled):
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps)
