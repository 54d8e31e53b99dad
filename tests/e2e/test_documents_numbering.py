"""Document numbers (发文字号) never repeat and never skip, per type and year, even when
administration numbers many documents at once (on PostgreSQL the sequence row is locked until
commit); a numbering that rolls back gives its number back."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from store import documents_repo, requests_repo
from store.db import Sessions
from store.models.documents import DocumentRecord
from tests.support.documents import decide, document, draft, prompt
from tests.support.harness import Harness

COUNT = 6


def test_concurrent_numbering_gives_each_document_the_next_number(harness: Harness) -> None:
    h = harness
    cards = []
    for n in range(1, COUNT + 1):
        card = draft(h, "alice", number=f"DOC-{n:04d}", title=f"Notice {n}")
        decide(h, card, "bob", "Approve", number=n)
        decide(h, card, "bob", "Sign off", number=n)
        cards.append(card)
    prompts = [prompt(h, card, "carol", "Number and issue") for card in cards]
    drivers = [h.ls.driver(("carol", "gus")[n % 2]) for n in range(COUNT)]  # one per thread
    start = threading.Barrier(COUNT)

    def click(n: int) -> int:
        start.wait()
        return drivers[n].click("Number and issue", message=prompts[n]).status

    with ThreadPoolExecutor(max_workers=COUNT) as pool:
        assert list(pool.map(click, range(COUNT))) == [200] * COUNT
    h.ls.wait_for(
        lambda: all(document(h, n)[0] == "closed" for n in range(1, COUNT + 1)),
        timeout=20,
        message="every document numbered",
    )
    numbers = sorted(document(h, n)[2] or "" for n in range(1, COUNT + 1))
    assert numbers == sorted(f"运营〔2026〕{seq}号" for seq in range(1, COUNT + 1))
    # A policy is another type: its own sequence and pattern.
    card = draft(h, "alice", number=f"DOC-{COUNT + 1:04d}", doc_type="policy")
    decide(h, card, "bob", "Approve", number=COUNT + 1)
    decide(h, card, "dan", "Sign off", number=COUNT + 1)
    decide(h, card, "carol", "Number and issue", number=COUNT + 1)
    assert document(h, COUNT + 1)[2] == "制度〔2026〕1号"


def test_sequences_under_threads_with_rollbacks(sessions: Sessions) -> None:
    """Straight at the register: twelve transactions at once, every third rolled back; what
    committed is 1..8 with no gap and no repeat."""
    start = threading.Barrier(12)
    committed: list[int] = []
    lock = threading.Lock()

    def number(n: int) -> None:
        start.wait()
        with sessions.begin() as session:
            seq = documents_repo.next_seq(session, "notice", 2030)
            if n % 3 == 0:
                session.rollback()
                return
        with lock:
            committed.append(seq)

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(number, range(12)))
    assert sorted(committed) == list(range(1, 9))
    with sessions.begin() as session:
        assert documents_repo.next_seq(session, "notice", 2030) == 9
        assert documents_repo.next_seq(session, "notice", 2031) == 1  # a new year starts at 1
        assert session.query(DocumentRecord).count() == 0
        assert requests_repo.by_number(session, "documents", 1) is None
