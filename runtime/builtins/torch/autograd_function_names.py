# torch.autograd's names from torch.autograd.function (its __init__.py:
# from .function import Function, NestedIOFunction).
import torch

Function = torch.autograd.function.Function
