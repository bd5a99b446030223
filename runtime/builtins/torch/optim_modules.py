# torch.optim.optimizer, torch.optim.sgd, ...: PyTorch's module of each
# class, so `from torch.optim.optimizer import Optimizer` works. The classes
# are defined once, in torch.optim's members (where their files ran under
# these names); each module here holds them again. (globals() in tsr is the
# program's namespace, not a module's, so the names are assigned one by one.)
import torch

_optim = torch.optim
if __name__ == 'torch.optim.optimizer':
    Optimizer = _optim.Optimizer
    required = _optim.required
elif __name__ == 'torch.optim.sgd':
    SGD = _optim.SGD
elif __name__ == 'torch.optim.adam':
    Adam = _optim.Adam
elif __name__ == 'torch.optim.adamw':
    AdamW = _optim.AdamW
elif __name__ == 'torch.optim.rmsprop':
    RMSprop = _optim.RMSprop
elif __name__ == 'torch.optim.adagrad':
    Adagrad = _optim.Adagrad
elif __name__ == 'torch.optim.adadelta':
    Adadelta = _optim.Adadelta
elif __name__ == 'torch.optim.adamax':
    Adamax = _optim.Adamax
elif __name__ == 'torch.optim.nadam':
    NAdam = _optim.NAdam
elif __name__ == 'torch.optim.radam':
    RAdam = _optim.RAdam
elif __name__ == 'torch.optim.rprop':
    Rprop = _optim.Rprop
elif __name__ == 'torch.optim.asgd':
    ASGD = _optim.ASGD
elif __name__ == 'torch.optim.lbfgs':
    LBFGS = _optim.LBFGS
