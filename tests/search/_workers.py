"""Code run in child processes by the search tests (importable by multiprocessing's spawn)."""

from pathlib import Path

from apps.search.engine import SearchEngine


def upsert_many(index_dir: str, prefix: str, count: int) -> int:
    """Upsert ``count`` documents one commit at a time, as concurrent web requests would."""
    engine = SearchEngine(Path(index_dir))
    for number in range(count):
        engine.upsert(
            [
                {
                    "kind": prefix,
                    "pk": number,
                    "title": f"เอกสาร {prefix} ฉบับที่ {number}",
                    "body": "รายงานการประชุมสหกรณ์",
                    "access": "all",
                    "stamp": str(number),
                }
            ]
        )
    return count
