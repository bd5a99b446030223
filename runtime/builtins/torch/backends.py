# torch.backends and its submodules, as a CPU build of PyTorch 1.13 reports
# them: cudnn and MPS absent, oneDNN (mkldnn) and OpenMP present, no MKL.
# The flags are plain attributes a program may set (cudnn.deterministic =
# True); tsr's kernels do not read them. One file serves every module: the
# part that runs depends on __name__.
import torch

if __name__ == 'torch.backends.cudnn':
    enabled = True
    benchmark = False
    benchmark_limit = 10
    deterministic = False
    allow_tf32 = True

    def is_available():
        return False

    def version():
        return None

    def is_acceptable(tensor):
        return False
elif __name__ == 'torch.backends.mps':
    def is_available():
        return False

    def is_built():
        return False
elif __name__ == 'torch.backends.mkl':
    def is_available():
        return False
elif __name__ == 'torch.backends.mkldnn':
    enabled = True

    def is_available():
        return True
elif __name__ == 'torch.backends.openmp':
    def is_available():
        return True
elif __name__ == 'torch.backends.cuda':
    class cuBLASModule:
        def __init__(self):
            self.allow_tf32 = False
            self.allow_fp16_reduced_precision_reduction = True

    matmul = cuBLASModule()

    def is_built():
        return torch.cuda.is_available()
