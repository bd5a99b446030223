# torch.optim.Optimizer: parameter groups, per-parameter state, zero_grad,
# state_dict / load_state_dict and the printed form, as PyTorch 1.13's
# torch/optim/optimizer.py. The optimizers (optim_*.py) run into the same
# module members, so they see these names as globals.
import torch
from collections import defaultdict
from copy import deepcopy

_warn = torch.functional._warn  # warnings.warn, once per place
# where each optimizer's __init__ calls Optimizer.__init__ in PyTorch 1.13
_INIT_LINES = {
    'Adadelta': ('optim/adadelta.py', 69), 'Adagrad': ('optim/adagrad.py', 88), 'Adam': ('optim/adam.py', 137),
    'Adamax': ('optim/adamax.py', 68), 'AdamW': ('optim/adamw.py', 92), 'ASGD': ('optim/asgd.py', 42),
    'LBFGS': ('optim/lbfgs.py', 234), 'NAdam': ('optim/nadam.py', 75), 'RAdam': ('optim/radam.py', 77),
    'RMSprop': ('optim/rmsprop.py', 87), 'Rprop': ('optim/rprop.py', 67), 'SGD': ('optim/sgd.py', 109),
}


class _RequiredParameter(object):
    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def _use_grad_for_differentiable(func):
    # step() runs with autograd on only for differentiable=True
    def _use_grad(self, *args, **kwargs):
        prev_grad = torch.is_grad_enabled()
        try:
            torch.set_grad_enabled(self.defaults['differentiable'])
            ret = func(self, *args, **kwargs)
        finally:
            torch.set_grad_enabled(prev_grad)
        return ret
    return _use_grad


def _with_grads(group):
    # the parameters of a group that have a gradient, and those gradients;
    # sparse gradients do not exist in tsr, so nothing is refused here
    params, grads = [], []
    for p in group['params']:
        if p.grad is not None:
            params.append(p)
            grads.append(p.grad)
    return params, grads


def _lazy_state(optimizer, params, **makers):
    # each parameter's state, filled at its first step: key -> maker(p), in
    # the order given (the order state_dict prints)
    states = []
    for p in params:
        state = optimizer.state[p]
        if len(state) == 0:
            for k, make in makers.items():
                state[k] = make(p)
        states.append(state)
    return states


def _check_non_negative(**values):
    # 'Invalid learning rate: -1' and friends, in the order given
    names = {'lr': 'learning rate', 'eps': 'epsilon value'}
    for k, v in values.items():
        if not 0.0 <= v:
            raise ValueError("Invalid {}: {}".format(names.get(k, k + ' value'), v))


class Optimizer(object):
    # what __setstate__ (load_state_dict) fills into the groups of an older
    # state dict, and the state numbers it turns into tensors: each
    # optimizer's own __setstate__ in PyTorch, as class attributes here
    _setstate_group_defaults = {}
    _setstate_tensors = ()

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._zero_grad_profile_name = "Optimizer.zero_grad#{}.zero_grad".format(self.__class__.__name__)

        if isinstance(params, torch.Tensor):
            raise TypeError("params argument given to the optimizer should be "
                            "an iterable of Tensors or dicts, but got " +
                            params.type())

        self.state = defaultdict(dict)
        self.param_groups = []

        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{'params': param_groups}]

        for param_group in param_groups:
            self.add_param_group(param_group)

        self._warned_capturable_if_run_uncaptured = True

    def __getstate__(self):
        return {
            'defaults': self.defaults,
            'state': self.state,
            'param_groups': self.param_groups,
        }

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.defaults.setdefault('differentiable', False)
        for group in self.param_groups:
            for k, v in self._setstate_group_defaults.items():
                group.setdefault(k, v)
        state_values = list(self.state.values())
        for key in self._setstate_tensors:
            if not (len(state_values) != 0 and torch.is_tensor(state_values[0][key])):
                for s in state_values:
                    s[key] = torch.tensor(float(s[key]))

    def __repr__(self):
        format_string = self.__class__.__name__ + ' ('
        for i, group in enumerate(self.param_groups):
            format_string += '\n'
            format_string += 'Parameter Group {0}\n'.format(i)
            for key in sorted(group.keys()):
                if key != 'params':
                    format_string += '    {0}: {1}\n'.format(key, group[key])
        format_string += ')'
        return format_string

    def _cuda_graph_capture_health_check(self):
        pass

    def state_dict(self):
        # parameters become their index in the order of the groups
        param_mappings = {}
        start_index = 0
        param_groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != 'params'}
            for i, p in enumerate(group['params'], start_index):
                if id(p) not in param_mappings:
                    param_mappings[id(p)] = i
            packed['params'] = [param_mappings[id(p)] for p in group['params']]
            start_index += len(packed['params'])
            param_groups.append(packed)
        packed_state = {(param_mappings[id(k)] if isinstance(k, torch.Tensor) else k): v
                        for k, v in self.state.items()}
        return {
            'state': packed_state,
            'param_groups': param_groups,
        }

    def load_state_dict(self, state_dict):
        state_dict = deepcopy(state_dict)
        groups = self.param_groups
        saved_groups = state_dict['param_groups']

        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of "
                             "parameter groups")
        for g, s in zip(groups, saved_groups):
            if len(g['params']) != len(s['params']):
                raise ValueError("loaded state dict contains a parameter group "
                                 "that doesn't match the size of optimizer's group")

        id_map = {}
        for g, s in zip(groups, saved_groups):
            for old_id, p in zip(s['params'], g['params']):
                id_map[old_id] = p

        def cast(param, value, key=None):
            # a deep copy of value, floating tensors in param's dtype (not 'step')
            if isinstance(value, torch.Tensor):
                if key != "step":
                    if param.is_floating_point():
                        value = value.to(param.dtype)
                    value = value.to(param.device)
                return value
            elif isinstance(value, dict):
                return {k: cast(param, v, key=k) for k, v in value.items()}
            elif isinstance(value, (list, tuple)):
                return type(value)(cast(param, v) for v in value)
            else:
                return value

        state = defaultdict(dict)
        for k, v in state_dict['state'].items():
            if k in id_map:
                param = id_map[k]
                state[param] = cast(param, v)
            else:
                state[k] = v

        param_groups = []
        for g, ng in zip(groups, saved_groups):
            ng['params'] = g['params']
            param_groups.append(ng)
        self.__setstate__({'state': state, 'param_groups': param_groups})

    def zero_grad(self, set_to_none=False):
        zero_grad = torch.nn._zero_grad
        for group in self.param_groups:
            for p in group['params']:
                zero_grad(p, set_to_none)

    def step(self, closure):
        raise NotImplementedError

    def _step_groups(self, closure, step_group):
        # step(closure): the closure's loss (it re-evaluates the model with
        # autograd on), then step_group(group, params, grads) for each
        # group, over the parameters that have a gradient
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            params, grads = _with_grads(group)
            step_group(group, params, grads)
        return loss

    def add_param_group(self, param_group):
        assert isinstance(param_group, dict), "param group must be a dict"

        params = param_group['params']
        if isinstance(params, torch.Tensor):
            param_group['params'] = [params]
        elif isinstance(params, set):
            raise TypeError('optimizer parameters need to be organized in ordered collections, but '
                            'the ordering of tensors in sets will change between runs. Please use a list instead.')
        else:
            param_group['params'] = list(params)

        for param in param_group['params']:
            if not isinstance(param, torch.Tensor):
                raise TypeError("optimizer can only optimize Tensors, "
                                "but one of the params is " + torch.nn._typename(param))
            if not self.defaults.get('differentiable', None) and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required optimization parameter " +
                                 name)
            else:
                param_group.setdefault(name, default)

        params = param_group['params']
        if len(params) != len(set(params)):
            # stacklevel=3: for PyTorch's optimizers, the super().__init__
            # line of its file
            message = ("optimizer contains a parameter group with duplicate parameters; "
                       "in future, this will cause an error; "
                       "see github.com/pytorch/pytorch/issues/40967 for more information")
            name = type(self).__name__
            where = _INIT_LINES.get(name)
            if where is not None and type(self).__module__.startswith('torch.'):
                _warn(where[0], where[1], 'super({}, self).__init__(params, defaults)'.format(name), message)
            else:
                import warnings
                warnings.warn(message, stacklevel=3)

        param_set = set()
        for group in self.param_groups:
            param_set.update(set(group['params']))

        if not param_set.isdisjoint(set(param_group['params'])):
            raise ValueError("some parameters appear in more than one parameter group")

        self.param_groups.append(param_group)
