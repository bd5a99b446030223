/* help_texts.h: what help(obj) prints for tsr's builtins, written for tsr
 * (PyTorch's docstrings are not ours to copy). One row per function:
 *
 *   X(name, signature, description, example)
 *
 * name: where it lives, as a user reaches it ("torch.cat", "Tensor.view",
 * "torch.nn.Linear", "torch.nn.functional.relu", "len", a module's own
 * name "torch"); signature: as PyTorch (or Python) spells it; description:
 * a few sentences, lines split by \n; example: lines of code (split by \n, as typed at the prompt), run by
 * the golden case tests/golden/help/examples.repl (scripts/help_examples
 * writes it from this table; tests/unit/test_help_texts.c checks it is
 * current). To add a function: add its row, run scripts/help_examples,
 * make the case's .out with the oracle, read it. */
#ifndef TSR_HELP_TEXTS_H
#define TSR_HELP_TEXTS_H

#define HELP_TEXTS(X) \
    /* ---- modules */ \
    X("torch", "torch", \
      "Tensors (n-dimensional arrays on the CPU or a GPU), the math on them and automatic\n" \
      "differentiation. Try help(torch.tensor), help(torch.Tensor.view), dir(torch).", \
      "torch.tensor([1, 2, 3]) * 2") \
    X("torch.nn", "torch.nn", \
      "Neural network building blocks: layers (nn.Linear, nn.Conv2d, ...), containers\n" \
      "(nn.Sequential), losses (nn.MSELoss, nn.CrossEntropyLoss) and nn.Module to write your own.", \
      "nn.Linear(3, 2).weight.shape") \
    X("torch.nn.functional", "torch.nn.functional", \
      "The layers' functions without parameters of their own: activations, losses,\n" \
      "convolutions, pooling. Usually imported as F.", \
      "F.relu(torch.tensor([-1.0, 2.0]))") \
    X("numpy", "numpy", \
      "numpy arrays (import numpy as np): np.array, np.zeros, ... and torch.from_numpy /\n" \
      "x.numpy() to move between numpy and torch (they share memory).", \
      "import numpy as np\ntorch.from_numpy(np.arange(3))") \
    /* ---- creation */ \
    X("torch.tensor", "tensor(data, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "Makes a new tensor from data: a number, or (nested) lists and tuples of numbers.\n" \
      "The dtype is inferred (int64 for ints, float32 for floats) unless dtype is given.", \
      "torch.tensor([[1, 2], [3, 4]], dtype=torch.float32)") \
    X("torch.zeros", "zeros(*size, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "A tensor of the given shape filled with 0.", \
      "torch.zeros(2, 3)") \
    X("torch.ones", "ones(*size, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "A tensor of the given shape filled with 1.", \
      "torch.ones(2, dtype=torch.int64)") \
    X("torch.full", "full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "A tensor of the given shape filled with fill_value.", \
      "torch.full((2, 2), 7.0)") \
    X("torch.empty", "empty(*size, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "A tensor of the given shape whose values are whatever the memory held: fill it before\n" \
      "reading it.", \
      "torch.empty(2, 3).shape") \
    X("torch.arange", "arange(start=0, end, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "The numbers start, start+step, ... up to but not including end, as a 1-D tensor.", \
      "torch.arange(0, 10, 3)") \
    X("torch.linspace", "linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "steps numbers evenly spaced from start to end, both included.", \
      "torch.linspace(0, 1, 5)") \
    X("torch.eye", "eye(n, m=None, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "A 2-D tensor with ones on the diagonal and zeros elsewhere (the identity matrix).", \
      "torch.eye(3)") \
    X("torch.zeros_like", "zeros_like(input, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "Zeros with the shape (and by default the dtype and device) of input.", \
      "torch.zeros_like(torch.ones(2, 2))") \
    X("torch.ones_like", "ones_like(input, *, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "Ones with the shape (and by default the dtype and device) of input.", \
      "torch.ones_like(torch.zeros(3))") \
    X("torch.rand", "rand(*size, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "Random numbers drawn uniformly from [0, 1). torch.manual_seed(n) makes them repeatable.", \
      "_ = torch.manual_seed(0)\ntorch.rand(2)") \
    X("torch.randn", "randn(*size, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "Random numbers from the normal distribution with mean 0 and variance 1.", \
      "_ = torch.manual_seed(0)\ntorch.randn(2, 2)") \
    X("torch.randint", "randint(low=0, high, size, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor", \
      "Random integers from low (included) to high (excluded), in a tensor of shape size.", \
      "_ = torch.manual_seed(0)\ntorch.randint(0, 10, (5,))") \
    X("torch.randperm", "randperm(n, *, generator=None, dtype=torch.int64, device=None, requires_grad=False) -> Tensor", \
      "A random ordering of the integers 0 to n-1.", \
      "_ = torch.manual_seed(0)\ntorch.randperm(5)") \
    X("torch.manual_seed", "manual_seed(seed) -> Generator", \
      "Seeds the random number generator, so the random functions repeat their numbers.", \
      "_ = torch.manual_seed(1)\ntorch.rand(1)") \
    X("torch.from_numpy", "from_numpy(ndarray) -> Tensor", \
      "A tensor sharing the memory of a numpy array: writing one changes the other.", \
      "import numpy as np\ntorch.from_numpy(np.array([1.5, 2.5]))") \
    /* ---- shape */ \
    X("torch.cat", "cat(tensors, dim=0, *, out=None) -> Tensor", \
      "Joins tensors along the existing dimension dim. They must have the same shape except\n" \
      "along dim.", \
      "torch.cat([torch.zeros(2), torch.ones(1)])") \
    X("torch.stack", "stack(tensors, dim=0, *, out=None) -> Tensor", \
      "Joins tensors of the same shape along a new dimension dim.", \
      "torch.stack([torch.zeros(2), torch.ones(2)])") \
    X("torch.reshape", "reshape(input, shape) -> Tensor", \
      "The same elements in a new shape; a view of input when its strides allow it, else a\n" \
      "copy. One dimension may be -1: it is worked out from the others.", \
      "torch.reshape(torch.arange(6), (2, -1))") \
    X("torch.squeeze", "squeeze(input, dim=None) -> Tensor", \
      "Removes dimensions of size 1 (only dim when given). The result is a view.", \
      "torch.squeeze(torch.zeros(1, 3, 1)).shape") \
    X("torch.unsqueeze", "unsqueeze(input, dim) -> Tensor", \
      "Inserts a dimension of size 1 at position dim. The result is a view.", \
      "torch.unsqueeze(torch.arange(3), 0)") \
    X("torch.transpose", "transpose(input, dim0, dim1) -> Tensor", \
      "Swaps two dimensions. The result is a view (usually not contiguous).", \
      "torch.transpose(torch.arange(6).view(2, 3), 0, 1)") \
    X("torch.permute", "permute(input, dims) -> Tensor", \
      "Reorders the dimensions as dims says. The result is a view.", \
      "torch.permute(torch.zeros(2, 3, 4), (2, 0, 1)).shape") \
    X("torch.flatten", "flatten(input, start_dim=0, end_dim=-1) -> Tensor", \
      "Merges the dimensions from start_dim to end_dim into one.", \
      "torch.flatten(torch.zeros(2, 3, 4), 1).shape") \
    X("torch.split", "split(tensor, split_size_or_sections, dim=0) -> tuple of Tensors", \
      "Cuts a tensor into pieces of split_size along dim (the last may be smaller), or into\n" \
      "pieces of the sizes listed.", \
      "torch.split(torch.arange(5), 2)") \
    X("torch.chunk", "chunk(input, chunks, dim=0) -> tuple of Tensors", \
      "Cuts a tensor into chunks pieces of (nearly) equal size along dim.", \
      "torch.chunk(torch.arange(6), 3)") \
    X("torch.flip", "flip(input, dims) -> Tensor", \
      "Reverses the order of the elements along the dimensions dims (a copy).", \
      "torch.flip(torch.arange(4), [0])") \
    X("torch.where", "where(condition, input, other) -> Tensor", \
      "Picks input's element where condition is True and other's where it is False.", \
      "torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([9, 9]))") \
    /* ---- math */ \
    X("torch.add", "add(input, other, *, alpha=1, out=None) -> Tensor", \
      "input + alpha * other, element by element, broadcasting the shapes.", \
      "torch.add(torch.tensor([1, 2]), 10)") \
    X("torch.sub", "sub(input, other, *, alpha=1, out=None) -> Tensor", \
      "input - alpha * other, element by element, broadcasting the shapes.", \
      "torch.sub(torch.tensor([5, 6]), torch.tensor([1, 1]))") \
    X("torch.mul", "mul(input, other, *, out=None) -> Tensor", \
      "input * other, element by element, broadcasting the shapes.", \
      "torch.mul(torch.tensor([1, 2]), torch.tensor([3, 4]))") \
    X("torch.div", "div(input, other, *, rounding_mode=None, out=None) -> Tensor", \
      "input / other, element by element; rounding_mode='floor' or 'trunc' rounds the quotient.", \
      "torch.div(torch.tensor([7, 8]), 2)") \
    X("torch.pow", "pow(input, exponent, *, out=None) -> Tensor", \
      "input raised to exponent, element by element.", \
      "torch.pow(torch.tensor([1, 2, 3]), 2)") \
    X("torch.exp", "exp(input, *, out=None) -> Tensor", \
      "e raised to each element.", \
      "torch.exp(torch.tensor([0.0, 1.0]))") \
    X("torch.log", "log(input, *, out=None) -> Tensor", \
      "The natural logarithm of each element (nan below 0, -inf at 0).", \
      "torch.log(torch.tensor([1.0, 10.0]))") \
    X("torch.sqrt", "sqrt(input, *, out=None) -> Tensor", \
      "The square root of each element.", \
      "torch.sqrt(torch.tensor([4.0, 2.0]))") \
    X("torch.abs", "abs(input, *, out=None) -> Tensor", \
      "The absolute value of each element.", \
      "torch.abs(torch.tensor([-2, 3]))") \
    X("torch.sin", "sin(input, *, out=None) -> Tensor", \
      "The sine of each element (in radians).", \
      "torch.sin(torch.tensor([0.0, 1.0]))") \
    X("torch.cos", "cos(input, *, out=None) -> Tensor", \
      "The cosine of each element (in radians).", \
      "torch.cos(torch.tensor([0.0, 1.0]))") \
    X("torch.tanh", "tanh(input, *, out=None) -> Tensor", \
      "The hyperbolic tangent of each element.", \
      "torch.tanh(torch.tensor([0.0, 1.0]))") \
    X("torch.sigmoid", "sigmoid(input, *, out=None) -> Tensor", \
      "1 / (1 + exp(-x)) for each element x.", \
      "torch.sigmoid(torch.tensor([0.0, 2.0]))") \
    X("torch.clamp", "clamp(input, min=None, max=None, *, out=None) -> Tensor", \
      "Limits each element to the range [min, max].", \
      "torch.clamp(torch.tensor([-2, 0, 5]), min=-1, max=3)") \
    X("torch.round", "round(input, *, decimals=0, out=None) -> Tensor", \
      "Rounds each element to the nearest integer (halves to even), or to decimals places.", \
      "torch.round(torch.tensor([0.5, 1.5, 2.7]))") \
    X("torch.matmul", "matmul(input, other, *, out=None) -> Tensor", \
      "The matrix product (the @ operator): dot product for 1-D inputs, matrix product for\n" \
      "2-D, batched and broadcast for more dimensions.", \
      "torch.matmul(torch.ones(2, 3), torch.ones(3))") \
    X("torch.mm", "mm(input, mat2, *, out=None) -> Tensor", \
      "The product of two 2-D matrices (no broadcasting).", \
      "torch.mm(torch.eye(2), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))") \
    X("torch.dot", "dot(input, other, *, out=None) -> Tensor", \
      "The dot product of two 1-D tensors of the same length.", \
      "torch.dot(torch.tensor([1, 2]), torch.tensor([3, 4]))") \
    X("torch.einsum", "einsum(equation, *operands) -> Tensor", \
      "Sums products of the operands' elements as the equation's index letters say\n" \
      "(\"ij,jk->ik\" is a matrix product).", \
      "torch.einsum('ij,jk->ik', torch.ones(2, 3), torch.ones(3, 2))") \
    /* ---- reductions */ \
    X("torch.sum", "sum(input, dim=None, keepdim=False, *, dtype=None) -> Tensor", \
      "The sum of all elements, or along dim.", \
      "torch.sum(torch.tensor([[1, 2], [3, 4]]), dim=0)") \
    X("torch.mean", "mean(input, dim=None, keepdim=False, *, dtype=None) -> Tensor", \
      "The mean of all elements, or along dim (floating point inputs).", \
      "torch.mean(torch.tensor([1.0, 2.0, 4.0]))") \
    X("torch.prod", "prod(input, dim=None, keepdim=False, *, dtype=None) -> Tensor", \
      "The product of all elements, or along dim.", \
      "torch.prod(torch.tensor([1, 2, 3, 4]))") \
    X("torch.max", "max(input, dim=None, keepdim=False) -> Tensor or (values, indices)", \
      "The largest element; with dim, the largest along dim and where it is.", \
      "torch.max(torch.tensor([[1, 5], [7, 2]]), dim=1)") \
    X("torch.min", "min(input, dim=None, keepdim=False) -> Tensor or (values, indices)", \
      "The smallest element; with dim, the smallest along dim and where it is.", \
      "torch.min(torch.tensor([3, 1, 2]))") \
    X("torch.argmax", "argmax(input, dim=None, keepdim=False) -> Tensor", \
      "The index of the largest element (of the flattened input, or along dim).", \
      "torch.argmax(torch.tensor([3, 9, 2]))") \
    X("torch.std", "std(input, dim=None, *, correction=1, keepdim=False) -> Tensor", \
      "The standard deviation (by default with Bessel's correction, dividing by N-1).", \
      "torch.std(torch.tensor([1.0, 2.0, 3.0, 4.0]))") \
    X("torch.cumsum", "cumsum(input, dim, *, dtype=None) -> Tensor", \
      "The running sums along dim.", \
      "torch.cumsum(torch.tensor([1, 2, 3]), dim=0)") \
    X("torch.sort", "sort(input, dim=-1, descending=False, stable=False) -> (values, indices)", \
      "The elements sorted along dim, and the indices they came from.", \
      "torch.sort(torch.tensor([3, 1, 2]))") \
    X("torch.topk", "topk(input, k, dim=-1, largest=True, sorted=True) -> (values, indices)", \
      "The k largest elements along dim (smallest with largest=False) and their indices.", \
      "torch.topk(torch.tensor([1, 9, 3, 7]), 2)") \
    X("torch.allclose", "allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool", \
      "Whether every pair of elements is close: |input - other| <= atol + rtol * |other|.", \
      "torch.allclose(torch.tensor([1.0]), torch.tensor([1.0 + 1e-9]))") \
    X("torch.equal", "equal(input, other) -> bool", \
      "Whether both tensors have the same shape and the same elements.", \
      "torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))") \
    /* ---- indexing */ \
    X("torch.gather", "gather(input, dim, index, *, sparse_grad=False) -> Tensor", \
      "Along dim, takes input's elements at the positions index holds.", \
      "torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[1], [0]]))") \
    X("torch.index_select", "index_select(input, dim, index) -> Tensor", \
      "The slices of input along dim at the positions listed in index (a copy).", \
      "torch.index_select(torch.arange(10), 0, torch.tensor([0, 5]))") \
    X("torch.masked_select", "masked_select(input, mask) -> Tensor", \
      "A 1-D tensor of input's elements where mask is True.", \
      "torch.masked_select(torch.tensor([1, 2, 3]), torch.tensor([True, False, True]))") \
    X("torch.nonzero", "nonzero(input, *, as_tuple=False) -> Tensor", \
      "The indices of the non-zero elements, one row per element.", \
      "torch.nonzero(torch.tensor([0, 3, 0, 4]))") \
    /* ---- autograd and modes */ \
    X("torch.no_grad", "no_grad()", \
      "A context manager (with torch.no_grad(): ...) and decorator inside which operations\n" \
      "record no graph for autograd.", \
      "with torch.no_grad():\n    y = torch.ones(1, requires_grad=True) * 2\n\ny.requires_grad") \
    X("torch.is_tensor", "is_tensor(obj) -> bool", \
      "Whether obj is a tensor.", \
      "torch.is_tensor(torch.zeros(1))") \
    X("torch.numel", "numel(input) -> int", \
      "The number of elements of input.", \
      "torch.numel(torch.zeros(2, 3))") \
    /* ---- Tensor methods */ \
    X("torch.Tensor", "Tensor", \
      "An n-dimensional array of numbers of one dtype on one device. x.shape, x.dtype and\n" \
      "x.device describe it; dir(x) lists its methods; help(x.view) shows one.", \
      "x = torch.arange(6).view(2, 3)\nx.shape, x.dtype, x.device") \
    X("Tensor.view", "view(*shape) -> Tensor", \
      "The same data seen with another shape (no copy): the tensor's strides must allow it\n" \
      "(use reshape otherwise). One dimension may be -1.", \
      "torch.arange(6).view(2, 3)") \
    X("Tensor.reshape", "reshape(*shape) -> Tensor", \
      "The same elements in a new shape: a view when possible, else a copy.", \
      "torch.arange(6).reshape(3, -1)") \
    X("Tensor.size", "size(dim=None) -> torch.Size or int", \
      "The shape (a torch.Size), or the size of dimension dim.", \
      "torch.zeros(2, 3).size(1)") \
    X("Tensor.item", "item() -> number", \
      "The value of a one-element tensor as a Python number.", \
      "torch.tensor([2.5]).item()") \
    X("Tensor.tolist", "tolist() -> list or number", \
      "The elements as (nested) Python lists of Python numbers.", \
      "torch.arange(4).view(2, 2).tolist()") \
    X("Tensor.numpy", "numpy() -> numpy.ndarray", \
      "A numpy array sharing this tensor's memory (CPU tensors that do not require grad).", \
      "torch.arange(3).numpy()") \
    X("Tensor.to", "to(dtype or device, non_blocking=False, copy=False) -> Tensor", \
      "The tensor converted to another dtype and/or moved to another device; itself when\n" \
      "nothing changes.", \
      "torch.tensor([1.7, 2.2]).to(torch.int32)") \
    X("Tensor.float", "float() -> Tensor", \
      "self.to(torch.float32).", \
      "torch.tensor([1, 2]).float()") \
    X("Tensor.long", "long() -> Tensor", \
      "self.to(torch.int64).", \
      "torch.tensor([1.9, -1.9]).long()") \
    X("Tensor.clone", "clone(*, memory_format=torch.preserve_format) -> Tensor", \
      "A copy with its own memory; gradients flow back to the original.", \
      "torch.ones(2).clone()") \
    X("Tensor.detach", "detach() -> Tensor", \
      "A tensor sharing the data but cut off from the autograd graph.", \
      "torch.ones(2, requires_grad=True).detach()") \
    X("Tensor.contiguous", "contiguous(memory_format=torch.contiguous_format) -> Tensor", \
      "Itself when its elements are laid out in row-major order, else a copy that is.", \
      "torch.arange(6).view(2, 3).t().contiguous().is_contiguous()") \
    X("Tensor.permute", "permute(*dims) -> Tensor", \
      "Reorders the dimensions (a view).", \
      "torch.zeros(2, 3, 4).permute(2, 0, 1).shape") \
    X("Tensor.transpose", "transpose(dim0, dim1) -> Tensor", \
      "Swaps two dimensions (a view).", \
      "torch.arange(6).view(2, 3).transpose(0, 1)") \
    X("Tensor.t", "t() -> Tensor", \
      "The transpose of a 2-D tensor (a view).", \
      "torch.arange(6).view(2, 3).t()") \
    X("Tensor.unsqueeze", "unsqueeze(dim) -> Tensor", \
      "Inserts a dimension of size 1 at position dim (a view).", \
      "torch.arange(3).unsqueeze(1).shape") \
    X("Tensor.squeeze", "squeeze(dim=None) -> Tensor", \
      "Removes dimensions of size 1 (a view).", \
      "torch.zeros(1, 3).squeeze().shape") \
    X("Tensor.expand", "expand(*sizes) -> Tensor", \
      "Repeats dimensions of size 1 without copying (a view with stride 0); -1 keeps a size.", \
      "torch.tensor([[1], [2]]).expand(2, 3)") \
    X("Tensor.sum", "sum(dim=None, keepdim=False, dtype=None) -> Tensor", \
      "See torch.sum.", \
      "torch.tensor([[1, 2], [3, 4]]).sum(1)") \
    X("Tensor.mean", "mean(dim=None, keepdim=False, dtype=None) -> Tensor", \
      "See torch.mean.", \
      "torch.tensor([[1.0, 2.0], [3.0, 4.0]]).mean()") \
    X("Tensor.max", "max(dim=None, keepdim=False) -> Tensor or (values, indices)", \
      "See torch.max.", \
      "torch.tensor([4, 8, 1]).max()") \
    X("Tensor.argmax", "argmax(dim=None, keepdim=False) -> Tensor", \
      "See torch.argmax.", \
      "torch.tensor([[1, 5], [7, 2]]).argmax(dim=1)") \
    X("Tensor.backward", "backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)", \
      "Computes the gradient of this tensor with respect to the leaves of its graph and\n" \
      "adds it to their .grad. gradient is needed when the tensor has more than one element.", \
      "w = torch.tensor([2.0], requires_grad=True)\n(w * w).sum().backward()\nw.grad") \
    X("Tensor.requires_grad_", "requires_grad_(requires_grad=True) -> Tensor", \
      "Makes autograd record operations on this (leaf) tensor; returns the tensor.", \
      "torch.zeros(2).requires_grad_()") \
    X("Tensor.zero_", "zero_() -> Tensor", \
      "Fills the tensor with zeros, in place.", \
      "torch.ones(3).zero_()") \
    X("Tensor.fill_", "fill_(value) -> Tensor", \
      "Fills the tensor with value, in place.", \
      "torch.zeros(3).fill_(5)") \
    X("Tensor.add_", "add_(other, *, alpha=1) -> Tensor", \
      "self += alpha * other, in place.", \
      "torch.ones(2).add_(torch.tensor([1.0, 2.0]))") \
    X("Tensor.masked_fill", "masked_fill(mask, value) -> Tensor", \
      "A copy with value written where mask is True.", \
      "torch.zeros(3).masked_fill(torch.tensor([True, False, True]), -1.0)") \
    X("Tensor.type", "type(dtype=None) -> str or Tensor", \
      "Without dtype, the tensor's type name ('torch.FloatTensor'); with one, a conversion.", \
      "torch.zeros(1).type()") \
    X("Tensor.dim", "dim() -> int", \
      "The number of dimensions.", \
      "torch.zeros(2, 3).dim()") \
    X("Tensor.numel", "numel() -> int", \
      "The number of elements.", \
      "torch.zeros(2, 3).numel()") \
    X("Tensor.stride", "stride(dim=None) -> tuple or int", \
      "How many elements to step in memory to move by one along each dimension.", \
      "torch.zeros(2, 3).stride()") \
    X("Tensor.is_contiguous", "is_contiguous(memory_format=torch.contiguous_format) -> bool", \
      "Whether the elements lie in memory in row-major order without gaps.", \
      "torch.zeros(2, 3).t().is_contiguous()") \
    /* ---- nn modules */ \
    X("torch.nn.Module", "Module()", \
      "The base class of every layer and model: subclass it, create layers in __init__,\n" \
      "compute in forward. Assigned layers and nn.Parameters are registered, so\n" \
      "model.parameters() finds them.", \
      "nn.Module()") \
    X("torch.nn.Linear", "Linear(in_features, out_features, bias=True, device=None, dtype=None)", \
      "y = x @ W.T + b: weight W has shape (out_features, in_features), bias b (out_features,).", \
      "_ = torch.manual_seed(0)\nnn.Linear(2, 1)(torch.ones(1, 2))") \
    X("torch.nn.Conv2d", "Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', device=None, dtype=None)", \
      "A 2-D convolution over inputs of shape (N, C, H, W) or (C, H, W).", \
      "nn.Conv2d(3, 8, 3)(torch.zeros(1, 3, 5, 5)).shape") \
    X("torch.nn.ReLU", "ReLU(inplace=False)", \
      "max(0, x) for each element x.", \
      "nn.ReLU()(torch.tensor([-1.0, 2.0]))") \
    X("torch.nn.Sigmoid", "Sigmoid()", \
      "1 / (1 + exp(-x)) for each element x.", \
      "nn.Sigmoid()(torch.tensor([0.0]))") \
    X("torch.nn.Tanh", "Tanh()", \
      "The hyperbolic tangent of each element.", \
      "nn.Tanh()(torch.tensor([0.0]))") \
    X("torch.nn.Softmax", "Softmax(dim=None)", \
      "exp(x) / sum(exp(x)) along dim: each slice becomes probabilities that add up to 1.", \
      "nn.Softmax(dim=0)(torch.tensor([1.0, 1.0]))") \
    X("torch.nn.Sequential", "Sequential(*modules)", \
      "Runs its modules one after the other, each on the previous one's output.", \
      "nn.Sequential(nn.Linear(2, 3), nn.ReLU())") \
    X("torch.nn.Dropout", "Dropout(p=0.5, inplace=False)", \
      "In training mode, zeroes each element with probability p and scales the rest by\n" \
      "1/(1-p); in eval mode (model.eval()) it passes the input through.", \
      "nn.Dropout(0.5).eval()(torch.ones(2))") \
    X("torch.nn.BatchNorm1d", "BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None)", \
      "Normalises each feature over the batch to mean 0 and variance 1, then scales and shifts.", \
      "nn.BatchNorm1d(2)(torch.tensor([[1.0, 2.0], [3.0, 6.0]]))") \
    X("torch.nn.Embedding", "Embedding(num_embeddings, embedding_dim, padding_idx=None, ...)", \
      "A lookup table: row i of its weight for each index i of the input.", \
      "nn.Embedding(10, 3)(torch.tensor([1, 2])).shape") \
    X("torch.nn.MSELoss", "MSELoss(size_average=None, reduce=None, reduction='mean')", \
      "The mean of the squared differences between input and target.", \
      "nn.MSELoss()(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 4.0]))") \
    X("torch.nn.CrossEntropyLoss", "CrossEntropyLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0)", \
      "The classification loss: log_softmax of the scores (N, C) then the negative log\n" \
      "likelihood of the target classes (N,).", \
      "nn.CrossEntropyLoss()(torch.tensor([[2.0, 0.0]]), torch.tensor([0]))") \
    X("torch.nn.Parameter", "Parameter(data=None, requires_grad=True)", \
      "A tensor that a Module registers as one of its parameters when assigned to it.", \
      "nn.Parameter(torch.zeros(2))") \
    /* ---- nn.functional */ \
    X("torch.nn.functional.relu", "relu(input, inplace=False) -> Tensor", \
      "max(0, x) for each element x.", \
      "F.relu(torch.tensor([-2.0, 3.0]))") \
    X("torch.nn.functional.cross_entropy", "cross_entropy(input, target, weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0) -> Tensor", \
      "See torch.nn.CrossEntropyLoss.", \
      "F.cross_entropy(torch.tensor([[0.0, 2.0]]), torch.tensor([1]))") \
    X("torch.nn.functional.mse_loss", "mse_loss(input, target, reduction='mean') -> Tensor", \
      "See torch.nn.MSELoss.", \
      "F.mse_loss(torch.tensor([0.0, 2.0]), torch.tensor([1.0, 2.0]))") \
    X("torch.nn.functional.linear", "linear(input, weight, bias=None) -> Tensor", \
      "input @ weight.T + bias.", \
      "F.linear(torch.ones(1, 2), torch.ones(3, 2))") \
    /* ---- optim */ \
    X("torch.optim.SGD", "SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False)", \
      "Stochastic gradient descent: step() moves each parameter by -lr times its gradient\n" \
      "(with momentum when given); zero_grad() clears the gradients.", \
      "torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)") \
    X("torch.optim.Adam", "Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, maximize=False)", \
      "The Adam optimizer: steps scaled by running averages of the gradients and of their squares.", \
      "torch.optim.Adam([nn.Parameter(torch.zeros(1))]).defaults['lr']") \
    X("torch.argmin", "argmin(input, dim=None, keepdim=False) -> Tensor", \
      "The index of the smallest element (of the flattened input, or along dim).", \
      "torch.argmin(torch.tensor([3, 1, 2]))") \
    X("torch.var", "var(input, dim=None, *, correction=1, keepdim=False) -> Tensor", \
      "The variance (by default with Bessel's correction, dividing by N-1).", \
      "torch.var(torch.tensor([1.0, 2.0, 3.0, 4.0]))") \
    X("torch.all", "all(input, dim=None, keepdim=False) -> Tensor", \
      "Whether every element is True (non-zero), or along dim.", \
      "torch.all(torch.tensor([True, False]))") \
    X("torch.any", "any(input, dim=None, keepdim=False) -> Tensor", \
      "Whether some element is True (non-zero), or along dim.", \
      "torch.any(torch.tensor([0, 0, 3]))") \
    X("torch.unique", "unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None) -> Tensor", \
      "The distinct elements, sorted; optionally where each element went and how often each occurs.", \
      "torch.unique(torch.tensor([3, 1, 3, 2]), return_counts=True)") \
    X("torch.bmm", "bmm(input, mat2, *, out=None) -> Tensor", \
      "Matrix products of two batches of matrices: (b, n, m) @ (b, m, p) -> (b, n, p).", \
      "torch.bmm(torch.ones(2, 1, 3), torch.ones(2, 3, 1)).shape") \
    X("torch.outer", "outer(input, vec2, *, out=None) -> Tensor", \
      "The outer product of two 1-D tensors: result[i, j] = input[i] * vec2[j].", \
      "torch.outer(torch.tensor([1, 2]), torch.tensor([1, 10, 100]))") \
    X("torch.tril", "tril(input, diagonal=0, *, out=None) -> Tensor", \
      "The lower triangle of a matrix (the elements above the diagonal set to 0).", \
      "torch.tril(torch.ones(3, 3))") \
    X("torch.triu", "triu(input, diagonal=0, *, out=None) -> Tensor", \
      "The upper triangle of a matrix (the elements below the diagonal set to 0).", \
      "torch.triu(torch.ones(3, 3), diagonal=1)") \
    X("torch.diag", "diag(input, diagonal=0, *, out=None) -> Tensor", \
      "A 1-D input becomes the diagonal of a matrix; a 2-D input gives its diagonal.", \
      "torch.diag(torch.tensor([1, 2]))") \
    X("torch.softmax", "softmax(input, dim, *, dtype=None) -> Tensor", \
      "exp(x) / sum(exp(x)) along dim.", \
      "torch.softmax(torch.tensor([0.0, 0.0]), dim=0)") \
    X("torch.roll", "roll(input, shifts, dims=None) -> Tensor", \
      "Shifts the elements along dims, those pushed off one end coming back at the other.", \
      "torch.roll(torch.arange(5), 2)") \
    X("torch.norm", "norm(input, p='fro', dim=None, keepdim=False, dtype=None) -> Tensor", \
      "The p-norm of the elements (2-norm by default), or along dim.", \
      "torch.norm(torch.tensor([3.0, 4.0]))") \
    X("torch.linalg.norm", "norm(A, ord=None, dim=None, keepdim=False, *, dtype=None) -> Tensor", \
      "A vector or matrix norm (2-norm of the flattened input by default).", \
      "torch.linalg.norm(torch.tensor([3.0, 4.0]))") \
    X("torch.fft", "torch.fft", \
      "Discrete Fourier transforms: fft/ifft (complex), rfft/irfft (real signals, half the\n" \
      "spectrum), hfft/ihfft (Hermitian), their 2- and n-dimensional forms, fftfreq and fftshift.", \
      "torch.fft.fft(torch.tensor([1.0, 0.0, 0.0, 0.0]))") \
    X("torch.fft.fft", "fft(input, n=None, dim=-1, norm=None, *, out=None) -> Tensor", \
      "The discrete Fourier transform along dim (a complex result; a real input is promoted).\n" \
      "n pads or trims the signal; norm is \"backward\" (none), \"ortho\" or \"forward\" (1/n).", \
      "torch.fft.fft(torch.arange(4.0))") \
    X("torch.fft.rfft", "rfft(input, n=None, dim=-1, norm=None, *, out=None) -> Tensor", \
      "The Fourier transform of a real signal: the n // 2 + 1 non-negative frequencies.\n" \
      "torch.fft.irfft inverts it (give it n for an odd length).", \
      "torch.fft.rfft(torch.tensor([1.0, 2.0, 3.0, 4.0]))") \
    X("torch.fft.fftfreq", "fftfreq(n, d=1.0, *, dtype=None, layout=torch.strided, device=None, requires_grad=False) -> Tensor", \
      "The frequencies of fft's outputs for n samples spaced d apart: 0, 1, ..., then the negatives.", \
      "torch.fft.fftfreq(5)") \
    X("torch.stft", "stft(input, n_fft, hop_length=None, win_length=None, window=None, center=True, pad_mode='reflect', normalized=False, onesided=None, return_complex=None) -> Tensor", \
      "The short-time Fourier transform: rfft of each window-weighted frame of n_fft samples,\n" \
      "hop_length apart (frequencies x frames). torch.istft inverts it.", \
      "torch.stft(torch.arange(8.0), 4, return_complex=True).shape") \
    X("Tensor.repeat", "repeat(*sizes) -> Tensor", \
      "The tensor tiled sizes[i] times along each dimension (a copy).", \
      "torch.tensor([1, 2]).repeat(2)") \
    X("Tensor.retain_grad", "retain_grad() -> None", \
      "Keeps the .grad of this non-leaf tensor after backward (only leaves keep theirs).", \
      "y = torch.ones(1, requires_grad=True) * 3\ny.retain_grad()\ny.sum().backward()\ny.grad") \
    X("Tensor.cpu", "cpu() -> Tensor", \
      "The tensor in CPU memory: itself when it is there already.", \
      "torch.ones(2).cpu()") \
    X("Tensor.abs", "abs() -> Tensor", \
      "See torch.abs.", \
      "torch.tensor([-1, 2]).abs()") \
    X("torch.nn.LayerNorm", "LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, device=None, dtype=None)", \
      "Normalises over the last dimensions (normalized_shape) of each sample to mean 0 and\n" \
      "variance 1, then scales and shifts.", \
      "nn.LayerNorm(2)(torch.tensor([[1.0, 3.0]]))") \
    X("torch.nn.MaxPool2d", "MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)", \
      "The largest value of each kernel_size window of a (N, C, H, W) input.", \
      "nn.MaxPool2d(2)(torch.arange(16.0).view(1, 1, 4, 4))") \
    X("torch.nn.Flatten", "Flatten(start_dim=1, end_dim=-1)", \
      "Merges the dimensions from start_dim to end_dim (by default all but the batch one).", \
      "nn.Flatten()(torch.zeros(2, 3, 4)).shape") \
    X("torch.nn.LeakyReLU", "LeakyReLU(negative_slope=0.01, inplace=False)", \
      "x for x >= 0, negative_slope * x below.", \
      "nn.LeakyReLU(0.1)(torch.tensor([-1.0, 2.0]))") \
    X("torch.nn.GELU", "GELU(approximate='none')", \
      "x times the standard normal distribution's CDF at x.", \
      "nn.GELU()(torch.tensor([0.0, 1.0]))") \
    X("torch.nn.L1Loss", "L1Loss(size_average=None, reduce=None, reduction='mean')", \
      "The mean of the absolute differences between input and target.", \
      "nn.L1Loss()(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 4.0]))") \
    X("torch.nn.BCELoss", "BCELoss(weight=None, size_average=None, reduce=None, reduction='mean')", \
      "Binary cross entropy between probabilities (input, in [0, 1]) and targets in [0, 1].", \
      "nn.BCELoss()(torch.tensor([0.5, 0.9]), torch.tensor([0.0, 1.0]))") \
    X("torch.nn.NLLLoss", "NLLLoss(weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean')", \
      "The negative log likelihood of the target classes, given log-probabilities (N, C).", \
      "nn.NLLLoss()(torch.log(torch.tensor([[0.25, 0.75]])), torch.tensor([1]))") \
    X("torch.nn.functional.gelu", "gelu(input, approximate='none') -> Tensor", \
      "See torch.nn.GELU.", \
      "F.gelu(torch.tensor([-1.0, 1.0]))") \
    X("torch.log_softmax", "log_softmax(input, dim, *, dtype=None) -> Tensor", \
      "log(softmax(x)) along dim, computed without overflow.", \
      "F.log_softmax(torch.tensor([1.0, 1.0]), dim=0)") \
    X("torch.nn.functional.dropout", "dropout(input, p=0.5, training=True, inplace=False) -> Tensor", \
      "See torch.nn.Dropout (training=False passes the input through).", \
      "F.dropout(torch.ones(3), 0.5, training=False)") \
    X("torch.optim.AdamW", "AdamW(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False, *, maximize=False)", \
      "Adam with decoupled weight decay: the parameters shrink by lr * weight_decay each step.", \
      "torch.optim.AdamW([nn.Parameter(torch.zeros(1))]).defaults['weight_decay']") \
    X("torch.optim.lr_scheduler.StepLR", "StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1, verbose=False)", \
      "Multiplies the learning rate by gamma every step_size calls of step() (call it after\n" \
      "optimizer.step()).", \
      "opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)\ns = torch.optim.lr_scheduler.StepLR(opt, 1, 0.5)\nopt.step()\ns.step()\ns.get_last_lr()") \
    /* ---- Python builtins */ \
    X("print", "print(*values, sep=' ', end='\\n', file=None, flush=False)", \
      "Writes the values' str() separated by sep and followed by end (to standard output).", \
      "print(1, 'two', torch.ones(2))") \
    X("len", "len(obj, /)", \
      "The number of items of a container; for a tensor, the size of its first dimension.", \
      "len(torch.zeros(4, 2))") \
    X("range", "range(stop) / range(start, stop[, step])", \
      "The integers from start (0) up to but not including stop.", \
      "list(range(2, 10, 3))") \
    X("type", "type(object)", \
      "The type (class) of object.", \
      "type(torch.zeros(1))") \
    X("isinstance", "isinstance(obj, class_or_tuple, /)", \
      "Whether obj is an instance of the class (or of one of the classes of a tuple).", \
      "isinstance(torch.zeros(1), torch.Tensor)") \
    X("dir", "dir([object])", \
      "The sorted names of object's attributes, or of the current scope without an argument.", \
      "dir([])[-3:]") \
    X("sorted", "sorted(iterable, /, *, key=None, reverse=False)", \
      "A new sorted list of the items.", \
      "sorted([3, 1, 2], reverse=True)") \
    X("enumerate", "enumerate(iterable, start=0)", \
      "Pairs (index, item) for each item.", \
      "list(enumerate('ab'))") \
    X("zip", "zip(*iterables, strict=False)", \
      "Tuples of the items at the same position in each iterable.", \
      "list(zip([1, 2], 'ab'))")

#endif
