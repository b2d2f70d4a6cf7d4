"""Split the writers' folders in bench/blind/incoming/ into dev/ and test/ before anything runs.

Within each writer and document kind the documents are shuffled with a fixed seed and about
``--test-share`` of them go to test/; labels.yaml is split the same way. Run once per new batch:

    .venv/bin/python bench/blind/split.py --batch 1
"""

from __future__ import annotations

import argparse
import random
import shutil
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", required=True, help="a name for this batch (the seed and folder suffix)")
    parser.add_argument("--test-share", type=float, default=0.45)
    args = parser.parse_args()
    rng = random.Random(f"ecoclaim-blind-{args.batch}")
    for labels in sorted((HERE / "incoming").glob("*/labels.yaml")):
        data = yaml.safe_load(labels.read_text("utf-8"))
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for entry in data["documents"]:
            by_kind[entry["doc_type"]].append(entry)
        parts: dict[str, list[dict]] = {"dev": [], "test": []}
        for kind in sorted(by_kind):
            entries = sorted(by_kind[kind], key=lambda e: e["file"])
            rng.shuffle(entries)
            cut = round(len(entries) * args.test_share)
            parts["test"] += entries[:cut]
            parts["dev"] += entries[cut:]
        for part, entries in parts.items():
            target = HERE / part / f"{labels.parent.name}-{args.batch}"
            target.mkdir(parents=True, exist_ok=False)
            for entry in sorted(entries, key=lambda e: e["file"]):
                shutil.copy2(labels.parent / entry["file"], target / entry["file"])
            kept = {**data, "documents": sorted(entries, key=lambda e: e["file"])}
            (target / "labels.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), "utf-8")
            print(f"{target.relative_to(HERE)}: {len(entries)}")


if __name__ == "__main__":
    main()
