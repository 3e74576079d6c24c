"""parallel.both: two jobs at once, results in a fixed order, failures reported."""

from __future__ import annotations

import os
import threading

import pytest

from generator.search import parallel


def test_both_returns_left_then_right():
    assert parallel.both(lambda: "left", lambda: ["right", 2]) == ("left", ["right", 2])


def test_right_runs_in_another_process_when_forking_is_safe():
    if not parallel.can_fork():
        pytest.skip("no fork here")
    here, there = parallel.both(os.getpid, os.getpid)
    assert here == os.getpid() != there


def test_a_failure_in_the_helper_is_raised_with_its_traceback():
    def broken():
        raise ValueError("boom")

    with pytest.raises((RuntimeError, ValueError), match="boom"):
        parallel.both(lambda: 1, broken)


def test_a_failure_in_the_parent_still_reaps_the_helper():
    def broken():
        raise ValueError("left broke")

    with pytest.raises(ValueError, match="left broke"):
        parallel.both(broken, lambda: 1)


def test_with_other_threads_running_it_stays_in_one_process():
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not parallel.can_fork()
        here, there = parallel.both(os.getpid, os.getpid)
        assert here == there == os.getpid()
    finally:
        stop.set()
        worker.join()
