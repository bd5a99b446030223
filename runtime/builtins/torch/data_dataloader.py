# torch.utils.data.DataLoader, as PyTorch 1.13's dataloader.py and
# _utils/fetch.py. Every iterator loads in this process; with
# num_workers > 0 it still draws what PyTorch's does from the default
# generator (the base seed, then the sampler's), so the numbers a program
# draws after a loop are PyTorch's.
import random
import torch


class _DatasetKind:
    Map = 0
    Iterable = 1

    @staticmethod
    def create_fetcher(kind, dataset, auto_collation, collate_fn, drop_last):
        if kind == _DatasetKind.Map:
            return _MapDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)
        return _IterableDatasetFetcher(dataset, auto_collation, collate_fn, drop_last)


class _BaseDatasetFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, possibly_batched_index):
        raise NotImplementedError()


class _IterableDatasetFetcher(_BaseDatasetFetcher):
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        super(_IterableDatasetFetcher, self).__init__(dataset, auto_collation, collate_fn, drop_last)
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, possibly_batched_index):
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in possibly_batched_index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if len(data) == 0 or (self.drop_last and len(data) < len(possibly_batched_index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


class _MapDatasetFetcher(_BaseDatasetFetcher):
    def fetch(self, possibly_batched_index):
        if self.auto_collation:
            if hasattr(self.dataset, "__getitems__") and self.dataset.__getitems__:
                data = self.dataset.__getitems__(possibly_batched_index)
            else:
                data = [self.dataset[idx] for idx in possibly_batched_index]
        else:
            data = self.dataset[possibly_batched_index]
        return self.collate_fn(data)


class _InfiniteConstantSampler(Sampler):
    def __init__(self):
        super(_InfiniteConstantSampler, self).__init__(None)

    def __iter__(self):
        while True:
            yield None


class WorkerInfo:
    def __init__(self, **kwargs):
        for k, v in kwargs.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_WorkerInfo__keys", tuple(kwargs.keys()))
        object.__setattr__(self, "_WorkerInfo__initialized", True)

    def __setattr__(self, key, val):
        raise RuntimeError("Cannot assign attributes to {} objects".format(self.__class__.__name__))

    def __repr__(self):
        items = []
        for k in self._WorkerInfo__keys:
            items.append('{}={}'.format(k, getattr(self, k)))
        return '{}({})'.format(self.__class__.__name__, ', '.join(items))


_worker_info = None


def get_worker_info():
    return _worker_info


class DataLoader:
    # Generic[T_co]: Dataset[int] is the class itself here, a typing alias
    # in PyTorch, so that `class D(Dataset[int])` works
    def __class_getitem__(cls, params):
        return cls

    _DataLoader__initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=2, persistent_workers=False, pin_memory_device=""):
        if num_workers < 0:
            raise ValueError('num_workers option should be non-negative; '
                             'use num_workers=0 to disable multiprocessing.')
        if timeout < 0:
            raise ValueError('timeout option should be non-negative')
        if num_workers == 0 and prefetch_factor != 2:
            raise ValueError('prefetch_factor option could only be specified in multiprocessing.'
                             'let num_workers > 0 to enable multiprocessing.')
        assert prefetch_factor > 0
        if persistent_workers and num_workers == 0:
            raise ValueError('persistent_workers option needs num_workers > 0')
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        if isinstance(dataset, IterableDataset):
            self._dataset_kind = _DatasetKind.Iterable
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "shuffle option, but got shuffle={}".format(shuffle))
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "sampler option, but got sampler={}".format(sampler))
            elif batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "batch_sampler option, but got batch_sampler={}".format(batch_sampler))
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = _DatasetKind.Map
        if sampler is not None and shuffle:
            raise ValueError('sampler option is mutually exclusive with shuffle')
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError('batch_sampler option is mutually exclusive '
                                 'with batch_size, shuffle, sampler, and drop_last')
            batch_size = None
            drop_last = False
        elif batch_size is None:
            if drop_last:
                raise ValueError('batch_size=None option disables auto-batching '
                                 'and is mutually exclusive with drop_last')
        if sampler is None:
            if self._dataset_kind == _DatasetKind.Iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            if self._auto_collation:
                collate_fn = default_collate
            else:
                collate_fn = default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._DataLoader__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None

    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        return _MultiProcessingDataLoaderIter(self)

    @property
    def multiprocessing_context(self):
        return self._DataLoader__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, multiprocessing_context):
        if multiprocessing_context is not None and self.num_workers == 0:
            raise ValueError('multiprocessing_context can only be used with '
                             'multi-process loading (num_workers > 0), but got '
                             'num_workers={}'.format(self.num_workers))
        self._DataLoader__multiprocessing_context = multiprocessing_context

    def __setattr__(self, attr, val):
        if self._DataLoader__initialized and attr in (
                'batch_size', 'batch_sampler', 'sampler', 'drop_last', 'dataset', 'persistent_workers'):
            raise ValueError('{} attribute should not be set after {} is '
                             'initialized'.format(attr, self.__class__.__name__))
        super(DataLoader, self).__setattr__(attr, val)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        if self._auto_collation:
            return self.batch_sampler
        return self.sampler

    def __len__(self):
        if self._dataset_kind == _DatasetKind.Iterable:
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                if self.drop_last:
                    length = length // self.batch_size
                else:
                    length = -(-length // self.batch_size)
            return length
        return len(self._index_sampler)


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._shared_seed = None
        self._pg = None
        self._dataset_kind = loader._dataset_kind
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        self._world_size = 1
        self._rank = 0
        self._prefetch_factor = loader.prefetch_factor
        if len(loader.pin_memory_device) == 0:
            self._pin_memory = loader.pin_memory and torch.cuda.is_available()
            self._pin_memory_device = None
        else:
            self._pin_memory = loader.pin_memory
            self._pin_memory_device = loader.pin_memory_device
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        # drawn even when nothing is shuffled: it moves the default generator
        # (device='cpu': PyTorch's default, stated for tsr's cuda test switch)
        self._base_seed = torch.empty((), dtype=torch.int64, device="cpu").random_(
            generator=loader.generator).item()
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0
        self._profile_name = "enumerate(DataLoader)#{}.__next__".format(self.__class__.__name__)

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        return data

    def __len__(self):
        return len(self._index_sampler)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super(_SingleProcessDataLoaderIter, self).__init__(loader)
        assert self._timeout == 0
        assert self._num_workers == 0
        self._dataset_fetcher = _DatasetKind.create_fetcher(
            self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn, self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._dataset_fetcher.fetch(index)


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    # The workers run here, one after the other. Each has its own torch
    # and random states, seeded base_seed + worker_id as PyTorch's worker
    # loop seeds them, swapped in around everything it runs; batches go to
    # the live workers in turn and come back in order, as PyTorch's do.
    def __init__(self, loader):
        super(_MultiProcessingDataLoaderIter, self).__init__(loader)
        assert self._num_workers > 0
        assert self._prefetch_factor > 0
        self._worker_init_fn = loader.worker_init_fn
        self._worker_states = [None] * self._num_workers
        self._worker_fetchers = [None] * self._num_workers
        for i in range(self._num_workers):
            self._in_worker(i, self._start_worker)
        self._reset(loader, first_iter=True)

    def _start_worker(self, worker_id):
        seed = self._base_seed + worker_id
        random.seed(seed)
        torch.manual_seed(seed)
        if self._worker_init_fn is not None:
            self._worker_init_fn(worker_id)
        self._new_fetcher(worker_id)

    def _new_fetcher(self, worker_id):
        self._worker_fetchers[worker_id] = _DatasetKind.create_fetcher(
            self._dataset_kind, self._dataset, self._auto_collation, self._collate_fn, self._drop_last)

    def _in_worker(self, worker_id, fn, *args):
        global _worker_info
        outer = (torch.get_rng_state(), random.getstate())
        state = self._worker_states[worker_id]
        if state is not None:
            torch.set_rng_state(state[0])
            random.setstate(state[1])
        _worker_info = WorkerInfo(id=worker_id, num_workers=self._num_workers,
                                  seed=self._base_seed + worker_id, dataset=self._dataset)
        try:
            return fn(worker_id, *args)
        finally:
            _worker_info = None
            self._worker_states[worker_id] = (torch.get_rng_state(), random.getstate())
            torch.set_rng_state(outer[0])
            random.setstate(outer[1])

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        self._tasks = []
        self._workers_status = [True for i in range(self._num_workers)]
        self._worker_queue_idx = 0
        if not first_iter:
            # persistent workers start their dataset over
            for i in range(self._num_workers):
                self._in_worker(i, self._new_fetcher)
        for _ in range(self._prefetch_factor * self._num_workers):
            self._try_put_index()

    def _try_put_index(self):
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(self._num_workers):
            worker_id = self._worker_queue_idx
            self._worker_queue_idx = (self._worker_queue_idx + 1) % self._num_workers
            if self._workers_status[worker_id]:
                self._tasks.append((worker_id, index))
                return

    def _fetch(self, worker_id, index):
        return self._worker_fetchers[worker_id].fetch(index)

    def _next_data(self):
        while True:
            if not self._tasks:
                raise StopIteration
            worker_id, index = self._tasks.pop(0)
            if not self._workers_status[worker_id]:
                continue
            try:
                data = self._in_worker(worker_id, self._fetch, index)
            except StopIteration:
                # this worker's copy of the IterableDataset is exhausted
                self._workers_status[worker_id] = False
                self._try_put_index()
                continue
            self._try_put_index()
            return data


# PyTorch 1.13's __all__ lists 'collate', which torch.utils.data does not
# define, so `from torch.utils.data import *` raises AttributeError; the
# names before it (those tsr has) are kept in the same order.
__all__ = ['BatchSampler', 'ChainDataset', 'ConcatDataset', 'DataLoader', 'Dataset',
           'IterableDataset', 'RandomSampler', 'Sampler', 'SequentialSampler', 'Subset',
           'SubsetRandomSampler', 'TensorDataset', 'WeightedRandomSampler', '_DatasetKind',
           'collate', 'default_collate', 'default_convert', 'get_worker_info', 'random_split']
