"""Verification on a Dask cluster: the record's chunks are checked by the workers.

``suffrage verify --workers N`` starts a local cluster of N worker processes;
``--scheduler ADDRESS`` uses an existing cluster whose workers can read the record at the
same path. Each worker rebuilds the election context from the record itself (once per
process) and checks the chunks it is given with :func:`suffrage.verify.chunks.verify_chunk`;
the results are gathered in board order, so the report is the one a single process makes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from suffrage.core.randomness import OsRandom
from suffrage.errors import SuffrageError
from suffrage.protocol.context import ElectionContext
from suffrage.record.files import LineChunk, read_record
from suffrage.verify.chunks import ChunkResult, verify_chunk
from suffrage.verify.record import MapChunks
from suffrage.verify.setup import rebuild_context

__all__ = ["dask_chunk_mapper"]


@lru_cache(maxsize=4)
def _context(directory: str, stamp: tuple[int, ...]) -> ElectionContext:
    del stamp  # part of the cache key only: a changed record is read again
    raw = read_record(Path(directory))
    if raw.manifest is None or raw.election is None:
        raise SuffrageError(f"{directory}: the election set-up cannot be read")
    return rebuild_context(raw)


def _stamp(directory: str) -> tuple[int, ...]:
    names = ("manifest.json", "election.json", "credentials.json")
    return tuple((Path(directory) / n).stat().st_mtime_ns for n in names)


def check_chunk(directory: str, chunk: LineChunk) -> ChunkResult:
    """What a worker runs: one chunk of the record at ``directory``."""
    return verify_chunk(_context(directory, _stamp(directory)), chunk, OsRandom())


@contextmanager
def dask_chunk_mapper(
    directory: Path, *, workers: int | None = None, scheduler: str | None = None
) -> Iterator[MapChunks]:
    """A ``map_chunks`` for :func:`~suffrage.verify.record.verify_record` on Dask."""
    from dask.distributed import Client, LocalCluster

    if (workers is None) == (scheduler is None):
        raise ValueError("give either a number of local workers or a scheduler address")
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
    client = Client(cluster if cluster is not None else scheduler)
    path = str(directory.resolve())

    def run(chunks: Sequence[LineChunk]) -> Iterable[ChunkResult]:
        futures = client.map(check_chunk, [path] * len(chunks), chunks, pure=False)
        for future in futures:
            yield future.result()

    try:
        yield run
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
