"""The per-document stage on a Dask cluster (``extract --workers N`` or ``--scheduler ADDR``).

Partitions are document batches read from the store by the parent; each worker builds its
resources once (``timeline.orchestrate.resources_for``), runs the per-document function on
its partitions and sends the rows back, where the parent writes them, one transaction per
partition. Workers never open the store. At most two partitions are in flight per worker,
so the parent holds a few batches, never the corpus.

Two things make two workers on two cores worth nearly two (``bench/scale.py``, README):

- ``worker_config``: the LocalCluster's workers get Dask's thread limits but not its
  ``MALLOC_TRIM_THRESHOLD_``. Setting any malloc threshold turns off glibc's dynamic mmap
  threshold, so every buffer of 128 kB or more that the parser allocates is mapped and
  unmapped again: 300 documents cost 2,000 page faults each and 15% more CPU than in
  this process (8.2 -> 9.6 CPU s, measured with a one-worker LocalCluster, alternating).
  Dask's statistical profiler (a stack sample every 10 ms, for a dashboard that
  ``extract`` does not start) is off, and its periodic checks run every second, not 50
  times a second: an idle 2-worker LocalCluster took 0.10 CPU s per second (this process
  0.04, each worker 0.03), now 0.012.
- ``partition_sizes``: the last partitions shrink (guided self-scheduling), so the workers
  finish together instead of one idling while the other ends a full partition.
"""
from __future__ import annotations

import math
import resource
from collections.abc import Callable
from typing import Any

import dask

from timeline.model import Document

Batch = tuple[list[Document], list[str]]  # documents, their fingerprints when read


def worker_config() -> dict[str, Any]:
    """Dask settings for the workers of a LocalCluster this process starts."""
    env = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
           if not k.startswith("MALLOC_")}
    return {"distributed.nanny.pre-spawn-environ": env,
            "distributed.worker.profile.enabled": False,
            "distributed.admin.tick.interval": "1s",  # an event-loop watchdog (it only logs): 20 ms by default
            "distributed.worker.memory.monitor-interval": "1s",  # the nannies, in this process: 100 ms
            "distributed.admin.system-monitor.interval": "5s"}  # each server's CPU/memory samples: 500 ms


def partition_sizes(n: int, size: int, workers: int) -> list[int]:
    """Documents per partition for ``n`` documents: ``size`` while plenty remain, then
    what remains shared among the ``2 * workers`` partitions in flight, never under a
    quarter of ``size``: the tail is cut finer so no worker waits for another's last
    full partition. Sums to ``n``."""
    floor = max(1, math.ceil(size / 4))
    out: list[int] = []
    left = n
    while left > 0:
        k = min(size, left, max(floor, math.ceil(left / (2 * workers))))
        out.append(k)
        left -= k
    return out


def run_on_dask(ids: list[str], read: Callable[[list[str]], Batch], extract: Any, factory: Any,
                write: Callable[[Batch, Any], None], *, batch_size: int, workers: int,
                scheduler: str | None) -> dict[str, tuple[float, float]]:
    """Extract the documents ``ids`` on Dask: ``read(ids)`` gives a partition's batch,
    ``write(batch, tables)`` stores its rows as they arrive. Returns each worker's CPU
    seconds (building its resources, then this run's partitions)."""
    from dask.distributed import Client, LocalCluster, as_completed

    from timeline.orchestrate import extract_batch

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        with dask.config.set(worker_config()):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        before = client.run(_cpu)
        client.run(_warm, factory)  # every worker builds its resources now, all at once
        warmed = client.run(_cpu)
        n_workers = max(1, len(client.scheduler_info()["workers"]))
        in_flight: dict = {}
        pool = as_completed()
        start = 0
        for k in partition_sizes(len(ids), batch_size, n_workers):
            batch = read(ids[start:start + k])
            start += k
            fut = client.submit(extract_batch, batch[0], extract, factory, pure=False)
            in_flight[fut.key] = batch
            pool.add(fut)
            while len(in_flight) >= 2 * n_workers:
                _collect(next(pool), in_flight, write)
        for fut in pool:
            _collect(fut, in_flight, write)
        after = client.run(_cpu)
        return {w: (warmed[w] - before[w], after[w] - warmed[w]) for w in after if w in before and w in warmed}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _warm(factory: Any) -> None:
    from timeline.orchestrate import resources_for

    resources_for(factory)


def _collect(fut, in_flight: dict, write: Callable) -> None:
    batch = in_flight.pop(fut.key)
    tables = fut.result()
    fut.release()
    write(batch, tables)

