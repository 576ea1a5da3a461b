"""The labelled safety files of tests/data: those the models learn from, and the blind ones.

One list for `scripts/train_crisis_model.py` (and, through it, `scripts/train_name_model.py`),
`benchmarks/safety.py` and `tests/unit/safety/test_labelled_set.py`. A blind file is only ever
scored, never trained or tuned on (tests/data/SAFETY_CASES.md says who wrote each file and how).
"""

from __future__ import annotations

TRAINING = (
    "safety_cases",
    "safety_holdout",
    *(f"safety_holdout{n}" for n in range(2, 10)),
    *(f"safety_train_{x}" for x in "abcefhijmnopqrstuvwxyz"),
    *(f"safety_train_a{x}" for x in "abcdefghijklmno"),
    "safety_policy",
)
BLIND = (
    "safety_holdout10",
    "safety_blind_d",
    "safety_blind_g",
    "safety_blind_k",
    "safety_blind_l",
    "safety_blind_m",
    "safety_blind_n",
    "safety_blind_o",
    "safety_blind_p",
    "safety_blind_q",
    "safety_blind_r",
)
# Written and scored on arrival, not yet learned from: a file whose PHI the redaction's rules
# find below the per-file target (tests/data/SAFETY_CASES.md) waits here until they are
# generalised from its misses, then joins TRAINING (set am did so in stop 18, an in stop 19).
# Score one with `benchmarks/safety.py --sets NAME`.
PENDING: tuple[str, ...] = ()
