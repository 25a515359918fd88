"""timeline.gc_scope: a batch job's results are frozen while it runs and given back after."""
from __future__ import annotations

import gc

from timeline.gc_scope import kept_results


def test_results_are_frozen_during_the_job_and_unfrozen_after():
    assert gc.get_freeze_count() == 0
    with kept_results() as keep:
        assert gc.get_freeze_count() > 0
        built = [[i] for i in range(1000)]  # lists: always tracked by the collector
        before = gc.get_freeze_count()
        keep()
        assert gc.get_freeze_count() >= before + 1000  # what the job built so far is kept
    assert gc.get_freeze_count() == 0 and len(built) == 1000


def test_a_process_that_froze_objects_itself_is_left_alone():
    gc.freeze()
    try:
        mine = gc.get_freeze_count()
        with kept_results() as keep:
            keep()
            assert gc.get_freeze_count() == mine
        assert gc.get_freeze_count() == mine  # not unfrozen by the job
    finally:
        gc.unfreeze()


def test_cyclic_garbage_made_during_the_job_is_collected_after_it():
    class Node:
        pass

    with kept_results() as keep:
        a, b = Node(), Node()
        a.other, b.other = b, a
        del a, b
        keep()  # the cycle is frozen with everything else
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, Node)]
