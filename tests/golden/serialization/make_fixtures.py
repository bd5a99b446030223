"""Writes the fixtures of the serialization golden cases with real PyTorch
(1.13): run `/usr/bin/python3 make_fixtures.py` in this folder. The files
are committed; the cases load them under tsr and under the oracle."""
import collections
import io
import zipfile

import torch
from torch import nn

torch.manual_seed(0)

# every dtype tsr has, 0-dim and empty tensors among them
dtypes = collections.OrderedDict()
for dt in [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
           torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.bool]:
    dtypes[str(dt)] = (torch.arange(-3, 3) * 7).to(dt)
dtypes['scalar'] = torch.tensor(2.5)
dtypes['empty'] = torch.zeros(0, 3)
dtypes['long_scalar'] = torch.tensor(-(2 ** 40))
torch.save(dtypes, 'pytorch_dtypes.pt')

# views sharing one storage: offsets and strides kept
base = torch.arange(12.).reshape(3, 4)
torch.save({'base': base, 'row': base[1], 'col': base[:, 2], 't': base.t(),
            'slice': base[1:, 1:3], 'other': torch.ones(2)}, 'pytorch_views.pt')

# a state_dict with its _metadata, and an optimizer's after a step
lin = nn.Linear(3, 2)
torch.save(lin.state_dict(), 'pytorch_linear_state.pt')
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
opt = torch.optim.SGD(seq.parameters(), lr=0.1, momentum=0.9)
seq(torch.ones(4, 2)).sum().backward()
opt.step()
torch.save(opt.state_dict(), 'pytorch_sgd_state.pt')
torch.save(seq, 'pytorch_sequential.pt')


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)
        self.scale = 3

    def forward(self, x):
        return self.fc(x) * self.scale


torch.save(Net(), 'pytorch_net.pt')

# Python values, parameters, requires_grad
w = torch.randn(3, requires_grad=True)
torch.save({'none': None, 'bools': (True, False), 'ints': [0, 255, 256, 65536, -1, 2 ** 31, -(2 ** 63)],
            'float': -1.25e-3, 'str': 'naïve ✓', 'nested': [[1, [2, (3,)]], {'k': 'v'}],
            'size': torch.Size([2, 3]), 'dtype': torch.float64, 'device': torch.device('cpu'),
            'set': {3, 1, 2}, 'param': nn.Parameter(torch.ones(2)), 'frozen': nn.Parameter(torch.zeros(1), requires_grad=False),
            'w': w, 'same': [w, w]}, 'pytorch_values.pt')

# bytes and bytearray, as pickle protocol 2 (_codecs.encode) and 4 (BINBYTES) write them
bytes_data = {'b': b'a\xffb', 'e': b'', 'ba': bytearray(b'\x00q'), 'big': b'z' * 300, 'same': [b'k', b'k']}
torch.save(bytes_data, 'pytorch_bytes.pt')
torch.save(bytes_data, 'pytorch_bytes_p4.pt', pickle_protocol=4)


def rewrite(src, dst, fix):
    """dst: src's archive with data.pkl passed through fix (a stored zip)."""
    zin = zipfile.ZipFile(src)
    name = dst[:-3]
    out = zipfile.ZipFile(dst, 'w')
    for info in zin.infolist():
        data = zin.read(info.filename)
        rest = info.filename.split('/', 1)[1]
        if rest == 'data.pkl':
            data = fix(data)
        out.writestr(name + '/' + rest, data)
    out.close()


# a tensor saved on the GPU (the oracle has none: its location is rewritten)
torch.save(torch.arange(4.), 'tmp_cpu.pt')
rewrite('tmp_cpu.pt', 'pytorch_cuda.pt', lambda d: d.replace(b'X\x03\x00\x00\x00cpu', b'X\x06\x00\x00\x00cuda:0'))
# a file that names a global torch.load must refuse
rewrite('tmp_cpu.pt', 'pytorch_os_system.pt',
        lambda d: b'\x80\x02cos\nsystem\nX\x04\x00\x00\x00echoq\x00\x85R.')
# a compressed-free but truncated archive, and one without data.pkl
full = open('tmp_cpu.pt', 'rb').read()
open('pytorch_truncated.pt', 'wb').write(full[:len(full) // 2])
import os
os.remove('tmp_cpu.pt')
