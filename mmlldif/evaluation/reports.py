"""What the analysis tools write."""
import csv
from typing import List, Optional, Sequence


def write_csv(path: str,
              rows: List[dict],
              fields: Optional[Sequence[str]] = None) -> None:
    """Write ``rows`` (dicts) to the CSV file ``path``, one column per key
    of the first row or per name of ``fields``."""
    with open(path, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(fields or rows[0]))
        writer.writeheader()
        writer.writerows(rows)
