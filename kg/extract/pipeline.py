"""The built-in extractors, registered in the order the default pipeline runs them.

Actors first (everything else refers to them), then places, events, the
roles an event's sentence leaves out but its article gives, the dates of
those events, allegations (which turn the events they report into
propositions with modality Alleged), and the denials and confirmations that
answer them.
"""

from __future__ import annotations

from kg.extract import register
from kg.extract.actors import ActorExtractor
from kg.extract.allegations import AllegationExtractor, ResponseExtractor
from kg.extract.discourse import DiscourseExtractor
from kg.extract.events import EventExtractor
from kg.extract.places import PlaceExtractor
from kg.extract.timex import TimeExtractor

register(ActorExtractor())
register(PlaceExtractor())
register(EventExtractor())
register(DiscourseExtractor())
register(TimeExtractor())
register(AllegationExtractor())
register(ResponseExtractor())
