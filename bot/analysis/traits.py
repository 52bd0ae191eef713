"""What the ledger's comparison rules read from a claim on record, computed from what it carries.

A claim keeps its sentence, value, measure and scope; its figure is found again in the sentence
(the quantity whose numbers are the claim's), and the words around it tell its role (a part, the
size of one unit, a plan: parts.py) and its place (places.py); the sentence tells its moments
and whether it corrects another figure (moments.py). No storage change: all of it follows from
the claim and when it was stated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.analysis.counted import measure_and_scope
from bot.analysis.moments import marks_correction, named_days
from bot.analysis.parts import Role, role_of
from bot.analysis.places import place_near, scope_place
from bot.analysis.quantities import Quantity, quantities_in
from bot.analysis.sentences import Token, tokenize

if TYPE_CHECKING:
    from storage.records import NewClaim

_DATE_REACH = 12  # tokens either side of a figure in which a named day dates it
_LONGEST = 2000  # a sentence longer than this is read for its moments and markers only


@dataclass(frozen=True, slots=True)
class Traits:
    """Moments and markers are read at once (they place a claim in the index); the role and
    place of its figure only when the claim is compared with another, which most never are."""

    claim: NewClaim
    moments: tuple[datetime, ...]  # when it was stated, then the days named near the figure
    corrects: bool  # a correction or rival estimate: compared whatever the gap

    @property
    def role(self) -> Role:
        return _figure_traits(self.claim)[0]

    @property
    def place(self) -> str | None:
        """A place key (places.place_key), None when no place is named."""
        return _figure_traits(self.claim)[1]


@lru_cache(maxsize=1024)  # an item's claims are compared on trial, then put on record
def traits_of_claim(claim: NewClaim, stated_at: datetime) -> Traits:
    sentence = claim.sentence
    days: tuple[datetime, ...] = ()
    if named_days(sentence, stated_at):  # rare: only then is the figure looked for
        tokens, quantities = _read(sentence)
        quantity = _figure(claim, quantities) if tokens else None
        if quantity is not None:
            # a day named near the figure dates it; one named further off dates something
            # else ("the death toll from the September 10 disaster ... 11,300")
            first = tokens[max(0, quantity.first_token - _DATE_REACH)].start
            last = tokens[min(len(tokens), quantity.last_token + _DATE_REACH) - 1].end
            days = named_days(sentence[first:last], stated_at)
    moments = tuple(dict.fromkeys((stated_at, *days)))
    return Traits(claim, moments, marks_correction(sentence))


@lru_cache(maxsize=1024)
def _figure_traits(claim: NewClaim) -> tuple[Role, str | None]:
    role, place = Role.WHOLE, scope_place(claim.scope)
    tokens, quantities = _read(claim.sentence)
    quantity = _figure(claim, quantities) if tokens else None
    if quantity is not None:
        predicate = "" if claim.scope.startswith("in ") else claim.scope.partition(" in ")[0]
        role = role_of(tokens, quantity, claim.measure, predicate.strip())
        if role is Role.WHOLE and _holds_its_own_kind(tokens, quantities, quantity, claim):
            role = Role.UNIT  # "lost 30,000 fighters, among them 9,000 killed": not 30,000 killed
        place = place_near(tokens, quantity.first_token, quantity.last_token) or place
    return role, place


def _holds_its_own_kind(
    tokens: list[Token], quantities: list[Quantity], whole: Quantity, claim: NewClaim
) -> bool:
    """Whether the next figure of the sentence is a part of ``whole`` counted by the same
    measure: then ``whole`` counts something broader (losses, casualties) than its measure."""
    following = [q for q in quantities if q.first_token >= whole.last_token][:1]
    for part in following:
        measure, _ = measure_and_scope(tokens, part)
        if measure == claim.measure and role_of(tokens, part, measure) is Role.PART:
            return True
    return False


@lru_cache(maxsize=64)  # the claims of one sentence come one after another
def _read(sentence: str) -> tuple[list[Token], list[Quantity]]:
    if len(sentence) > _LONGEST:
        return [], []
    tokens = tokenize(sentence)
    return tokens, quantities_in(tokens)


def _figure(claim: NewClaim, quantities: list[Quantity]) -> Quantity | None:
    """The quantity of the sentence that states the claim's figure (the first of equals)."""
    wanted = (claim.value, claim.low, claim.high)
    for quantity in quantities:
        if (quantity.value, quantity.low, quantity.high) == wanted:
            return quantity
    numbers = {n for n in wanted if n is not None}
    return next((q for q in quantities if numbers & set(q.numbers)), None)
